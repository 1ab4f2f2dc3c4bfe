from asyncify.rules.base import Rule


class BlockingRemoteSession(Rule):
    """A mail, file transfer or shell session over the network, driven from the event loop.

    ## What it finds
    In an `async def`: `smtplib.SMTP`/`SMTP_SSL`, `ftplib.FTP`/`FTP_TLS`,
    `imaplib.IMAP4`/`IMAP4_SSL` and `poplib.POP3`/`POP3_SSL` made with a host (the
    constructor connects), and the methods of those objects and of paramiko's `SSHClient`
    and `SFTPClient` (`client.connect`, `exec_command`, `sftp.get`, `smtp.send_message`,
    ...), except the few that only change settings (`set_debuglevel`,
    `set_missing_host_key_policy`, ...). The objects are tracked through assignments,
    `with ... as`, annotations and attributes on `self`.

    ## Why it is a problem
    Each command sends a request and waits for the server's reply in the calling thread:
    a slow mail server or a large transfer stops every other task on the loop.

    ## Fix
    `wrap` (default): `await asyncio.to_thread(smtp.send_message, message)`; better, one
    sync helper that opens the session, does the work and closes it, awaited through
    `asyncio.to_thread`. Not automated: the async libraries (`aiosmtplib`, `aioftp`,
    `aioimaplib`, `asyncssh`); the message names the one to use.

    ## Fix safety
    Safe when one task uses the session at a time, which a sequence of awaited calls
    does.
    """

    code = "AFY132"
    name = "blocking-remote-session"
    message = "`{call}` waits for a remote server on the event loop"
    INVALID = (
        """\
import smtplib


async def notify(message):
    smtplib.SMTP("mail.example.com")
""",
    )
    VALID = (
        """\
import aiosmtplib


async def notify(message):
    await aiosmtplib.send(message, hostname="mail.example.com")
""",
    )
