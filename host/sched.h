/* sched: tasks (Lua coroutines) on the libuv loop, and the one place that resumes them.
 *
 * Every task is one C record: its coroutine anchored in the registry, its state, and one
 * cleanup hook for the await it is suspended in. libuv and lws callbacks never resume a task
 * themselves: they call sched_wake() or sched_ready(), which queue the task; the queue is
 * drained from an idle handle, so a resume never happens inside another resume. */
#ifndef LUAFLET_SCHED_H
#define LUAFLET_SCHED_H

#include <lua.h>
#include <uv.h>

typedef struct sched_task sched_task;

/* Binds the scheduler to a loop and to the main Lua state. Called once, before any task. */
void sched_init(uv_loop_t *loop, lua_State *L);

uv_loop_t *sched_loop(void);
lua_State *sched_state(void);

/* Creates a task whose coroutine is returned in *co. The caller pushes the function and its
 * arguments onto *co, then calls sched_ready(task, nargs) to queue its first resume. With co
 * NULL the task gets its coroutine on its first run, and the caller sets the list of its
 * function and arguments as its box's first user value (core.spawn does). */
sched_task *sched_spawn(lua_State **co);

/* Queues a resume of a task; nargs values are already on top of the task's coroutine. */
/* Whether tasks wait in the run queue for their turn. */
int sched_any_ready(void);

void sched_ready(sched_task *t, int nargs);

/* An await in C: sched_await_begin() checks that L is the running task's coroutine (raises
 * otherwise, naming `what`) and that the task has not been cancelled. sched_await() then
 * records the cleanup hook and yields; it must be the C function's return expression. Every
 * await in the host yields through it (or sched_await_results), so each resumes the same
 * way: a pending cancel raises CancelledError first; then `then`, when not NULL, makes the
 * await's results from the stack, or else the values that sched_wake() pushed (or that were
 * left on the stack) are the results. */
sched_task *sched_await_begin(lua_State *L, const char *what);
int sched_await(lua_State *L, sched_task *t, void (*cleanup)(sched_task *), void *data,
                lua_CFunction then);

/* Ends an await that has its results already (the top nres values of L, typically an
 * expected failure such as a closed socket): the task still suspends until the loop's next
 * turn, then returns them. So every await suspends or raises, and a task that loops on a
 * failing await cannot hold up the loop. Must be the C function's return expression. */
int sched_await_results(lua_State *L, sched_task *t, int nres);

/* The pending await's data pointer, for the event handler that ends the await. */
void *sched_await_data(sched_task *t);

/* Ends a task's await: clears its cleanup hook and queues its resume with the nargs values
 * the caller pushed onto sched_task_state(t). */
void sched_wake(sched_task *t, int nargs);
lua_State *sched_task_state(sched_task *t);

/* Logs a warning with the task's name when one resume ran longer than `seconds` (0 turns it
 * off), and where it stopped unless the watchdog showed where it was while it ran. */
void sched_warn_slow(double seconds);

/* The running task's coroutine, or NULL between resumes. */
lua_State *sched_running_state(void);

/* Pushes the running task's name onto L.   [-0, +1, m] */
void sched_push_running_name(lua_State *L);

/* Cancels every task; used at shutdown. */
void sched_cancel_all(void);

/* Number of tasks that have not finished. */
int sched_live_tasks(void);

/* Registers the task functions into the table on top of L. */
void sched_register(lua_State *L);

/* Frees the scheduler's handles; the loop must then run once to close them. */
void sched_close(void);

#endif
