#include "beat.h"

#include <stddef.h>

/* Deadlines this close to the timer's run are taken in the same run: the timer runs a few
 * times a second at most, however the sockets' deadlines are spread. */
#define BEAT_SLACK_MS 50

static void unlink_entry(beat_entry *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    e->prev = e->next = NULL;
    e->list = 0;
}

/* Appends e to list (1 or 2) with deadline due: the deadlines of a list never decrease. */
static void append(beat *b, beat_entry *e, int list, uint64_t due)
{
    beat_entry *head = list == 1 ? &b->waiting : &b->pinged;
    e->due = due;
    e->list = list;
    e->prev = head->prev;
    e->next = head;
    head->prev->next = e;
    head->prev = e;
}

static void on_timer(uv_timer_t *h);

/* Arms the timer for the earliest deadline, if there is one. */
static void arm_for(beat *b)
{
    uint64_t due = UINT64_MAX;
    if (b->waiting.next != &b->waiting)
        due = b->waiting.next->due;
    if (b->pinged.next != &b->pinged && b->pinged.next->due < due)
        due = b->pinged.next->due;
    if (due == UINT64_MAX)
        return;
    uint64_t now = uv_now(b->timer.loop);
    uv_timer_start(&b->timer, on_timer, due > now ? due - now : 0, 0);
}

static void on_timer(uv_timer_t *h)
{
    beat *b = (beat *)((char *)h - offsetof(beat, timer));
    uint64_t now = uv_now(h->loop);
    uint64_t until = now + BEAT_SLACK_MS;
    /* Pongs overdue first: a socket pinged in this run gets its full timeout. */
    while (b->pinged.next != &b->pinged && b->pinged.next->due <= until) {
        beat_entry *e = b->pinged.next;
        unlink_entry(e);
        b->hangup(b, e);
    }
    while (b->waiting.next != &b->waiting && b->waiting.next->due <= until) {
        beat_entry *e = b->waiting.next;
        unlink_entry(e);
        /* Its hangup deadline counts from its ping's, as lws's did. */
        append(b, e, 2, e->due + (b->timeout - b->interval));
        b->ping(b, e);
    }
    arm_for(b);
}

void beat_init(beat *b, uv_loop_t *loop, uint64_t interval_ms, uint64_t timeout_ms, beat_fn ping,
               beat_fn hangup)
{
    uv_timer_init(loop, &b->timer);
    b->interval = interval_ms;
    b->timeout = timeout_ms;
    b->waiting.prev = b->waiting.next = &b->waiting;
    b->pinged.prev = b->pinged.next = &b->pinged;
    b->ping = ping;
    b->hangup = hangup;
}

void beat_confirm(beat *b, beat_entry *e)
{
    if (!b->interval)
        return;
    if (e->list)
        unlink_entry(e);
    append(b, e, 1, uv_now(b->timer.loop) + b->interval);
    /* Deadlines only grow: a running timer already fires in time for this one. */
    if (!uv_is_active((uv_handle_t *)&b->timer))
        arm_for(b);
}

void beat_remove(beat_entry *e)
{
    if (e->list)
        unlink_entry(e);
}

void beat_stop(beat *b)
{
    b->interval = 0;
    uv_timer_stop(&b->timer);
}

uv_handle_t *beat_handle(beat *b) { return (uv_handle_t *)&b->timer; }
