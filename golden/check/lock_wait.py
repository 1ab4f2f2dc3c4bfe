"""AFY151 blocking-lock-wait: waiting on threading primitives and thread-safe queues.

Golden detection file: each expected finding is marked at the end of its line.
Lock.acquire and Queue.get/put block only in their blocking form, so they are
reported with lower confidence (`likely`).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor, as_completed, wait
from queue import Queue
from threading import Event, Lock as ThreadLock


async def locks() -> None:
    # `import threading`, `from threading import Lock as ThreadLock`
    lock = threading.Lock()
    lock.acquire()  # error: AFY151 likely
    other = ThreadLock()
    other.acquire(timeout=5)  # error: AFY151 likely
    rlock = threading.RLock()
    rlock.acquire()  # error: AFY151 likely
    semaphore = threading.BoundedSemaphore(4)
    semaphore.acquire()  # error: AFY151 likely


async def events_and_threads(worker: threading.Thread) -> None:
    ready = Event()
    ready.wait()  # error: AFY151
    condition = threading.Condition()
    condition.wait(timeout=1)  # error: AFY151
    # a parameter annotated `threading.Thread`
    worker.join()  # error: AFY151
    thread = threading.Thread(target=print)
    thread.join()  # error: AFY151


async def queues(jobs: Queue) -> object:
    # `from queue import Queue` annotation, and constructors
    item = jobs.get()  # error: AFY151 likely
    results = queue.Queue()
    results.put(item)  # error: AFY151 likely
    results.join()  # error: AFY151
    return item


async def generic_queue(jobs: queue.Queue[str]) -> str:
    # a subscripted (generic) annotation names the same class
    return jobs.get()  # error: AFY151 likely


async def futures(future: Future, pending: list[Future]) -> None:
    # a parameter annotated `Future`, and the module functions
    future.result()  # error: AFY151
    wait(pending)  # error: AFY151
    for done in as_completed(pending):  # error: AFY151
        print(done)
    concurrent.futures.wait(pending, timeout=1)  # error: AFY151


async def executors() -> None:
    executor = ThreadPoolExecutor(max_workers=2)
    executor.shutdown()  # error: AFY151
    process = multiprocessing.Process(target=print)
    process.join()  # error: AFY151


class Worker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    async def stop(self) -> None:
        self._lock.acquire()  # error: AFY151 likely
        self._stopped.wait()  # error: AFY151
