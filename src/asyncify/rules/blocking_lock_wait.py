from asyncify.rules.base import Rule


class BlockingLockWait(Rule):
    """Waiting on a thread lock, event, queue or future on the event loop.

    ## What it finds
    Calls in an `async def` to `threading` waits (`Lock`, `RLock`, `Semaphore`,
    `BoundedSemaphore` `acquire`; `Condition.wait`/`wait_for`; `Event.wait`;
    `Barrier.wait`; `Thread.join`), to `queue.Queue` (and `LifoQueue`,
    `PriorityQueue`, `SimpleQueue`) `get`, `put` and `join`, to
    `concurrent.futures.Future.result`/`exception`, `concurrent.futures.wait` and
    `as_completed`, to executor `shutdown`, and to `multiprocessing.Process.join`.
    `acquire`, `get` and `put` are reported with confidence "likely": their
    non-blocking forms (`acquire(blocking=False)`, `get(block=False)`) return at once.
    A `with lock:` block is not a call and is not reported.

    ## Why it is a problem
    These wait until another thread acts, with no timeout by default. The event loop
    waits too, and if the other thread needs the loop to make progress (it schedules
    work with `run_coroutine_threadsafe`, or waits for a task to fill a queue), nothing
    ever moves again: a deadlock.

    ## Fix
    `wrap` (default): `await asyncio.to_thread(jobs.get)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    Not automated, and usually better: `asyncio.Lock`/`asyncio.Queue` when only
    coroutines share the object, `asyncio.wrap_future` for a `concurrent.futures`
    future, or a queue that bridges threads and tasks.

    ## Fix safety
    `Event.wait`, `Thread.join`, `Future.result` and the other plain waits: safe.
    `acquire`, `get` and `put` (confidence "likely") are fixed only with
    `--unsafe-fixes`: a cancelled `await asyncio.to_thread(lock.acquire)` leaves the
    thread waiting, and it later takes a lock nobody releases or a queue item nobody
    receives. `RLock.acquire` and `Condition.wait` are thread-affine (an `RLock` is
    owned by the thread that took it; a condition must be waited on by the thread
    holding its lock), so they are not moved to a thread without `--unsafe-fixes`
    either.
    """

    code = "AFY151"
    name = "blocking-lock-wait"
    message = "`{call}` waits for another thread on the event loop; without a timeout it can block indefinitely"
    INVALID = (
        """\
import queue


async def next_job(jobs: queue.Queue):
    return jobs.get()
""",
    )
    VALID = (
        """\
import asyncio


async def next_job(jobs: asyncio.Queue):
    return await jobs.get()
""",
    )
