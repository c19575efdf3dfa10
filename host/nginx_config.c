#include "nginx_config.h"

#include <stdlib.h>
#include <string.h>

#include "proto_keys.h"

#define MAX_BACKENDS 256

int nginx_config_route_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

typedef struct backend {
    char id[33];
    const char *address; /* HOST:PORT, as given */
} backend;

/* Whether s is HOST:PORT with a port from 1 to 65535 and a host nginx can take as it is
 * (no space, brace or semicolon that would end the directive). */
static int address_ok(const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || strpbrk(s, " \t\n;{}#'\"\\"))
        return 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    return *end == '\0' && end != colon + 1 && port >= 1 && port <= 65535;
}

/* The same test for a name or a file path given for nginx. */
static int word_ok(const char *s) { return s[0] && !strpbrk(s, " \t\n;{}#'\"\\"); }

static void write_config(FILE *out, const backend *b, int n, const char *listen, const char *name,
                         const char *cert, const char *key)
{
    const char *scheme = cert ? "https" : "http";
    fprintf(out,
            "# Luaflet behind nginx: %d hosts. Made by luaflet --print-nginx-config; put it in\n"
            "# /etc/nginx/conf.d/ (it belongs in nginx's http block). Start each host with its\n"
            "# route id, and let it trust the proxy's X-Forwarded-For:\n",
            n);
    /* The host checks each WebSocket's Origin against its own scheme and Host; behind a
     * proxy that ends TLS the scheme differs, so the address browsers open is allowed by
     * name. */
    int named = strcmp(name, "_") != 0;
    for (int i = 0; i < n; i++) {
        fprintf(out, "#   luaflet app.lua --host HOST --port PORT --route-id %s --trust-proxy",
                b[i].id);
        if (named)
            fprintf(out, " --allow-origin %s://%s", scheme, name);
        fputs("\n", out);
    }
    fprintf(out,
            "# A new session goes to the host with the fewest connections. Its token starts\n"
            "# with that host's route id, and a tab that reconnects asks for %s?route=ID:\n"
            "# the map below sends it to the host that holds its session. A host may run\n"
            "# --workers N: its own front then finds the worker.\n\n",
            PK_WS_PATH);
    fputs("upstream luaflet_new {\n    least_conn;\n", out);
    for (int i = 0; i < n; i++)
        fprintf(out, "    server %s;\n", b[i].address);
    fputs("}\n\n", out);
    /* A host that is down (stopped, restarting, its machine gone) holds no session any
     * more: the others stand behind it, so that its tabs get a new session from one of them
     * rather than retrying a dead address for ever. */
    for (int i = 0; i < n; i++) {
        fprintf(out, "upstream luaflet_route_%s {\n    server %s;\n", b[i].id, b[i].address);
        for (int j = 0; j < n; j++)
            if (j != i)
                fprintf(out, "    server %s backup;\n", b[j].address);
        fputs("}\n\n", out);
    }
    /* Each id as an exact pattern (a bare one could be one of map's own words: default,
     * include, ...), and with a worker's suffix: under --workers N, a host's workers have the
     * route ids ID-w1 to ID-wN. */
    fputs("map $arg_route $luaflet_backend {\n    default luaflet_new;\n", out);
    for (int i = 0; i < n; i++)
        fprintf(out, "    ~^%s(-w[0-9]+)?$ luaflet_route_%s;\n", b[i].id, b[i].id);
    fputs("}\n\n", out);
    fputs("map $http_upgrade $luaflet_connection {\n    default upgrade;\n    '' close;\n}\n\n",
          out);
    fputs("server {\n", out);
    if (cert) {
        fprintf(out, "    listen %s ssl http2;\n", listen);
        fprintf(out, "    ssl_certificate %s;\n    ssl_certificate_key %s;\n", cert, key);
        fputs("    ssl_protocols TLSv1.2 TLSv1.3;\n", out);
    } else {
        fprintf(out, "    listen %s;\n", listen);
    }
    fprintf(out, "    server_name %s;\n\n", name);
    fprintf(out,
            "    # Sessions: WebSockets that stay open for hours, pinged by the host every 30 s.\n"
            "    location = %s {\n"
            "        proxy_pass http://$luaflet_backend;\n"
            "        proxy_http_version 1.1;\n"
            "        proxy_set_header Upgrade $http_upgrade;\n"
            "        proxy_set_header Connection $luaflet_connection;\n"
            "        proxy_set_header Host $http_host;\n"
            "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
            "        proxy_set_header X-Forwarded-Proto $scheme;\n"
            "        proxy_connect_timeout 5s;\n"
            "        proxy_read_timeout 1h;\n"
            "        proxy_send_timeout 1h;\n"
            "        proxy_buffering off;\n"
            "    }\n\n",
            PK_WS_PATH);
    fprintf(out,
            "    # Uploads: page:get_upload_url names the host that made the URL, which alone\n"
            "    # can check it and holds the session's upload folder. The host limits the\n"
            "    # size (--max-upload), and the body goes through as it comes.\n"
            "    location = /upload {\n"
            "        proxy_pass http://$luaflet_backend;\n"
            "        proxy_http_version 1.1;\n"
            "        proxy_set_header Connection \"\";\n"
            "        proxy_set_header Host $http_host;\n"
            "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
            "        proxy_set_header X-Forwarded-Proto $scheme;\n"
            "        client_max_body_size 0;\n"
            "        proxy_request_buffering off;\n"
            "    }\n\n");
    fputs("    # The page, the client and the app's files: from any host.\n"
          "    location / {\n"
          "        proxy_pass http://luaflet_new;\n"
          "        proxy_http_version 1.1;\n"
          "        proxy_set_header Connection \"\";\n"
          "        proxy_set_header Host $http_host;\n"
          "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
          "        proxy_set_header X-Forwarded-Proto $scheme;\n"
          "    }\n"
          "}\n",
          out);
}

int nginx_config_print(FILE *out, FILE *err, int argc, char **argv)
{
    const char *listen = NULL, *name = "_", *cert = NULL, *key = NULL;
    backend *b = calloc(MAX_BACKENDS, sizeof *b);
    if (!b)
        return -1;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--listen") == 0 && i + 1 < argc && word_ok(argv[i + 1])) {
            listen = argv[++i];
        } else if (strcmp(a, "--server-name") == 0 && i + 1 < argc && word_ok(argv[i + 1])) {
            name = argv[++i];
        } else if (strcmp(a, "--tls") == 0 && i + 2 < argc && word_ok(argv[i + 1]) &&
                   word_ok(argv[i + 2])) {
            cert = argv[++i];
            key = argv[++i];
        } else if (a[0] != '-' && strchr(a, '=') && n < MAX_BACKENDS) {
            const char *eq = strchr(a, '=');
            size_t idn = (size_t)(eq - a);
            if (idn >= sizeof b[n].id) {
                fprintf(err, "luaflet: --print-nginx-config: route id too long in %s\n", a);
                free(b);
                return -1;
            }
            memcpy(b[n].id, a, idn);
            b[n].id[idn] = '\0';
            b[n].address = eq + 1;
            if (!nginx_config_route_id_ok(b[n].id) || !address_ok(b[n].address)) {
                fprintf(err,
                        "luaflet: --print-nginx-config: %s is not ID=HOST:PORT (an id of letters, "
                        "digits, - and _, up to 32)\n",
                        a);
                free(b);
                return -1;
            }
            for (int j = 0; j < n; j++) {
                if (strcmp(b[j].id, b[n].id) == 0) {
                    fprintf(err, "luaflet: --print-nginx-config: route id %s is given twice\n",
                            b[n].id);
                    free(b);
                    return -1;
                }
            }
            n++;
        } else {
            fprintf(err,
                    "luaflet: --print-nginx-config: unexpected %s\n"
                    "usage: luaflet --print-nginx-config [--listen PORT] [--server-name NAME] "
                    "[--tls CERT KEY] ID=HOST:PORT...\n",
                    a);
            free(b);
            return -1;
        }
    }
    if (n == 0) {
        fprintf(err,
                "usage: luaflet --print-nginx-config [--listen PORT] [--server-name NAME] "
                "[--tls CERT KEY] ID=HOST:PORT...\n");
        free(b);
        return -1;
    }
    write_config(out, b, n, listen ? listen : cert ? "443" : "80", name, cert, key);
    free(b);
    return 0;
}
