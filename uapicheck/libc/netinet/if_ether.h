/* uapicheck's minimal <netinet/if_ether.h>: the kernel's Ethernet header. */
#ifndef _NETINET_IF_ETHER_H
#define _NETINET_IF_ETHER_H 1
#include <linux/if_ether.h>
#endif
