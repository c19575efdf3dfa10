#include "fs.h"

#include <fcntl.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "buf.h"
#include "mem.h"
#include "sched.h"

#define CHUNK (64 * 1024)
/* A read of this much or more stops with EFBIG, so that reading a device by mistake (/dev/zero) or a
 * huge file fails as an error instead of taking all memory (mem.h). */
#define MAX_READ ((size_t)256 << 20)

enum stage { OPENING, MOVING, CLOSING };

/* One file operation, owned by itself from start to its last callback. A task cancelled
 * while it runs lets go of it (task = NULL); the chain then only closes the file. */
typedef struct fs_op {
    uv_fs_t req;
    sched_task *task;
    int writing;
    enum stage stage;
    uv_file fd;
    buf data;    /* what was read, or what is to be written */
    size_t done; /* for writes: bytes written so far */
    int err;     /* the first error, as a negative libuv code */
    char *path;
} fs_op;

static void step(uv_fs_t *req);

static void finish(fs_op *op)
{
    if (op->task) {
        lua_State *co = sched_task_state(op->task);
        int n;
        if (op->err < 0) {
            lua_pushnil(co);
            lua_pushfstring(co, "%s: %s: %s", uv_err_name(op->err), uv_strerror(op->err), op->path);
            lua_pushstring(co, uv_err_name(op->err));
            n = 3;
        } else if (op->writing) {
            lua_pushboolean(co, 1);
            n = 1;
        } else {
            lua_pushlstring(co, op->data.p ? op->data.p : "", op->data.len);
            n = 1;
        }
        sched_wake(op->task, n);
    }
    buf_free(&op->data);
    free(op->path);
    free(op);
}

static void close_file(fs_op *op)
{
    op->stage = CLOSING;
    uv_fs_req_cleanup(&op->req);
    if (uv_fs_close(sched_loop(), &op->req, op->fd, step) < 0)
        finish(op);
}

static void move_bytes(fs_op *op)
{
    uv_loop_t *loop = sched_loop();
    op->stage = MOVING;
    uv_fs_req_cleanup(&op->req);
    if (op->writing) {
        uv_buf_t b = uv_buf_init(op->data.p + op->done, (unsigned)(op->data.len - op->done));
        uv_fs_write(loop, &op->req, op->fd, &b, 1, -1, step);
    } else {
        if (op->data.len >= MAX_READ) {
            op->err = UV_EFBIG;
            close_file(op);
            return;
        }
        buf_reserve(&op->data, CHUNK);
        size_t room = op->data.cap - op->data.len - 1; /* buf keeps a byte for a NUL */
        uv_buf_t b = uv_buf_init(op->data.p + op->data.len, (unsigned)room);
        uv_fs_read(loop, &op->req, op->fd, &b, 1, -1, step);
    }
}

static void step(uv_fs_t *req)
{
    fs_op *op = req->data;
    ssize_t r = req->result;
    switch (op->stage) {
    case OPENING:
        if (r < 0) {
            op->err = (int)r;
            uv_fs_req_cleanup(req);
            finish(op);
            return;
        }
        op->fd = (uv_file)r;
        if (!op->task) { /* cancelled meanwhile */
            close_file(op);
            return;
        }
        move_bytes(op);
        return;
    case MOVING:
        if (r < 0)
            op->err = (int)r;
        else if (op->writing)
            op->done += (size_t)r;
        else
            op->data.len += (size_t)r;
        if (r > 0 && op->task && (!op->writing || op->done < op->data.len)) {
            move_bytes(op);
            return;
        }
        close_file(op);
        return;
    case CLOSING:
        if (r < 0 && !op->err)
            op->err = (int)r;
        uv_fs_req_cleanup(req);
        finish(op);
        return;
    }
}

static void cancel_op(sched_task *t)
{
    fs_op *op = sched_await_data(t);
    op->task = NULL;
    if (op->stage == CLOSING)
        return; /* the close must happen */
    /* A step still queued is dropped at once (its callback sees UV_ECANCELED); one already
     * running finishes, and the chain then only closes the file. */
    uv_cancel((uv_req_t *)&op->req);
}

static int start(lua_State *L, int writing)
{
    const char *path = luaL_checkstring(L, 1);
    size_t len = 0;
    const char *data = writing ? luaL_checklstring(L, 2, &len) : NULL;
    sched_task *t = sched_await_begin(L, writing ? "asyncio.fs.write" : "asyncio.fs.read");
    fs_op *op = mem_calloc(1, sizeof *op);
    op->path = mem_strdup(path);
    if (writing)
        buf_add(&op->data, data, len);
    op->writing = writing;
    op->task = t;
    op->req.data = op;
    int flags = writing ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
    int rc = uv_fs_open(sched_loop(), &op->req, path, flags | O_CLOEXEC, 0644, step);
    if (rc < 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: %s: %s", uv_err_name(rc), uv_strerror(rc), path);
        lua_pushstring(L, uv_err_name(rc));
        buf_free(&op->data);
        free(op->path);
        free(op);
        return sched_await_results(L, t, 3);
    }
    lua_settop(L, 0);
    return sched_await(L, t, cancel_op, op, NULL);
}

/* core.fs_read(path) -> contents, or nil, message, code   [-0, +1|3, e] */
static int l_fs_read(lua_State *L) { return start(L, 0); }

/* core.fs_write(path, data) -> true, or nil, message, code   [-0, +1|3, e] */
static int l_fs_write(lua_State *L) { return start(L, 1); }

void fs_register(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"fs_read", l_fs_read}, {"fs_write", l_fs_write}, {NULL, NULL}};
    luaL_setfuncs(L, funcs, 0);
}
