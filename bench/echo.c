/* echo: the load benchmark's baseline: a bare libwebsockets server on a libuv loop, set up as
 * the host's is, that answers as the host would but does nothing else (no JSON, no Lua, no
 * diff). What the host costs beyond it is what Luaflet itself costs.
 *
 *   echo --port P --reply BYTES [--mode echo|tick|broadcast]
 *
 * Every mode answers a session's first message (its register) with one message. Then:
 *   echo       each message gets one reply of BYTES bytes;
 *   tick       each session gets a BYTES message every second, from a timer of its own;
 *   broadcast  each message makes every session get one BYTES message. */
#include <libwebsockets.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

enum mode { MODE_ECHO, MODE_TICK, MODE_BROADCAST };

static enum mode mode;
static size_t reply_len = 64;
static unsigned char *reply; /* LWS_PRE free bytes, then the reply */
static uv_loop_t loop;
static struct lws_context *ctx;

typedef struct session {
    struct lws *wsi;
    int owed; /* replies to write */
    int registered;
    uv_timer_t *timer; /* tick mode; freed in its close callback */
} session;

static void on_tick(uv_timer_t *t)
{
    session *s = t->data;
    s->owed++;
    lws_callback_on_writable(s->wsi);
}

static void free_timer(uv_handle_t *h) { free(h); }

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    session *s = user;
    (void)in;
    (void)len;
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        memset(s, 0, sizeof *s);
        s->wsi = wsi;
        return 0;
    case LWS_CALLBACK_RECEIVE:
        if (!lws_is_final_fragment(wsi))
            return 0;
        if (!s->registered) {
            s->registered = 1;
            s->owed++;
            if (mode == MODE_TICK) {
                s->timer = malloc(sizeof *s->timer);
                uv_timer_init(&loop, s->timer);
                s->timer->data = s;
                uv_timer_start(s->timer, on_tick, 1000, 1000);
            }
        } else if (mode == MODE_BROADCAST) {
            lws_callback_all_protocol(lws_get_context(wsi), lws_get_protocol(wsi),
                                      LWS_CALLBACK_USER);
            return 0;
        } else {
            s->owed++;
        }
        lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_USER:
        if (!s || !s->registered) /* lws calls every connection of the protocol */
            return 0;
        s->owed++;
        lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        if (!s->owed)
            return 0;
        if (lws_write(wsi, reply + LWS_PRE, reply_len, LWS_WRITE_TEXT) < (int)reply_len)
            return -1;
        if (--s->owed)
            lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_CLOSED:
        if (s->timer) {
            uv_timer_stop(s->timer);
            uv_close((uv_handle_t *)s->timer, free_timer);
            s->timer = NULL;
        }
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static void on_signal(uv_signal_t *h, int sig)
{
    (void)sig;
    uv_signal_stop(h);
    uv_close((uv_handle_t *)h, NULL);
    lws_context_destroy(ctx);
}

int main(int argc, char **argv)
{
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--reply"))
            reply_len = (size_t)atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--mode"))
            mode = !strcmp(argv[i + 1], "tick")     ? MODE_TICK
                : !strcmp(argv[i + 1], "broadcast") ? MODE_BROADCAST
                                                    : MODE_ECHO;
    }
    if (!port) {
        fprintf(stderr, "usage: echo --port P --reply BYTES [--mode echo|tick|broadcast]\n");
        return 2;
    }
    reply = malloc(LWS_PRE + reply_len);
    memset(reply + LWS_PRE, 'x', reply_len);
    if (reply_len >= 2) {
        reply[LWS_PRE] = '"';
        reply[LWS_PRE + reply_len - 1] = '"';
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit files; /* as many sockets as the hard limit allows */
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    uv_loop_init(&loop);
    lws_set_log_level(LLL_ERR, NULL);
    static struct lws_protocols protocols[] = {{"echo", callback, sizeof(session), 0, 0, NULL, 0},
                                               {NULL, NULL, 0, 0, 0, NULL, 0}};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    void *loops[1] = {&loop};
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_VALIDATE_UTF8 |
        LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    info.foreign_loops = loops;
    info.pcontext = &ctx;
    ctx = lws_create_context(&info);
    info.port = port;
    info.iface = "127.0.0.1";
    info.protocols = protocols;
    if (!ctx || !lws_create_vhost(ctx, &info)) {
        fprintf(stderr, "echo: cannot listen on port %d\n", port);
        return 1;
    }
    uv_signal_t term;
    uv_signal_init(&loop, &term);
    uv_signal_start(&term, on_signal, SIGTERM);
    fprintf(stderr, "serving http://127.0.0.1:%d\n", port);
    uv_run(&loop, UV_RUN_DEFAULT);
    if (ctx)
        lws_context_destroy(ctx);
    uv_run(&loop, UV_RUN_DEFAULT);
    free(reply);
    return 0;
}
