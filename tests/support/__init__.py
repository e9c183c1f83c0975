"""What the tests share: header trees written from strings, scratch kernel
git repositories, rule fixtures, and GCC as the ground truth."""
