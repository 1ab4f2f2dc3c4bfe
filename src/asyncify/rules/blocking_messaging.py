from asyncify.rules.base import Rule


class BlockingMessaging(Rule):
    """A message broker's blocking client used on the event loop.

    ## What it finds
    In an `async def`: `pika.BlockingConnection(...)` (connects in its constructor) and
    the methods of the connection and of its channels (`channel()`, `basic_publish`,
    `basic_get`, `queue_declare`, ...); `kafka.KafkaProducer(...)` and
    `kafka.KafkaConsumer(...)` (they bootstrap against the cluster) and their methods
    (`send`, `flush`, `poll`, `commit`, ...), except the ones that only read local state.

    ## Why it is a problem
    These clients run the protocol in the calling thread: every publish, poll or flush
    waits for the broker, and pika's blocking adapter runs its whole I/O loop inside each
    call, so the event loop stops for as long as the broker takes.

    ## Fix
    `wrap` (default): `await asyncio.to_thread(channel.basic_publish, exchange, key,
    body)`. Not automated: the async clients (`aio-pika`, `aiokafka`), which the message
    names.

    ## Fix safety
    pika's connections are not thread-safe: wrap calls only when one task at a time uses
    the connection, or move all of its use into one sync helper run in a thread.
    """

    code = "AFY133"
    name = "blocking-messaging"
    message = "`{call}` waits for the message broker on the event loop"
    INVALID = (
        """\
import kafka


async def publish(payload):
    kafka.KafkaProducer(bootstrap_servers="broker:9092")
""",
    )
    VALID = (
        """\
import aiokafka


async def publish(payload):
    producer = aiokafka.AIOKafkaProducer(bootstrap_servers="broker:9092")
    await producer.start()
    await producer.send_and_wait("events", payload)
""",
    )
