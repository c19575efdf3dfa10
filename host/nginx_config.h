/* nginx_config: `luaflet --print-nginx-config`, the nginx configuration for several hosts
 * behind one proxy. New sessions go to the host with the fewest connections; a tab that
 * reconnects names the host that holds its session (the route id its token starts with, as
 * ?route=ID on /ws), and the proxy sends it there. Names start with nginx_config_. */
#ifndef LUAFLET_NGINX_CONFIG_H
#define LUAFLET_NGINX_CONFIG_H

#include <stdio.h>

/* Whether id may be a route id: 1 to 32 letters, digits, '-' or '_'. */
int nginx_config_route_id_ok(const char *id);

/* Writes to out the configuration the arguments after --print-nginx-config ask for:
 * [--listen PORT] [--server-name NAME] [--tls CERT KEY] ID=HOST:PORT...; returns 0, or -1
 * having written why to err. */
int nginx_config_print(FILE *out, FILE *err, int argc, char **argv);

#endif
