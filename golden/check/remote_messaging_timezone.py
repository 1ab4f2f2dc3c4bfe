"""AFY132 remote sessions, AFY133 messaging, AFY109 time zones, AFY170 data files.

Golden detection file: each expected finding is marked at the end of its line.
"""

import smtplib
import zoneinfo
from datetime import datetime
from email.message import EmailMessage

import kafka
import pandas
import paramiko
import pika
import pytz
from PIL import Image


async def mail(message: EmailMessage) -> None:
    with smtplib.SMTP("mail.example.com") as smtp:  # error: AFY132
        smtp.set_debuglevel(1)
        smtp.send_message(message)  # error: AFY132


async def shell(host: str) -> None:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host)  # error: AFY132
    sftp = client.open_sftp()  # error: AFY132
    sftp.get("/remote", "/local")  # error: AFY132


async def publish(body: bytes) -> None:
    connection = pika.BlockingConnection()  # error: AFY133
    channel = connection.channel()  # error: AFY133
    channel.basic_publish(exchange="", routing_key="jobs", body=body)  # error: AFY133
    producer = kafka.KafkaProducer()  # error: AFY133
    producer.send("events", body)  # error: AFY133


async def zones(moment: datetime) -> datetime:
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")  # error: AFY109
    pytz.timezone("Europe/Paris")  # error: AFY109
    return moment.astimezone(berlin)


async def data(path: str) -> None:
    frame = pandas.read_csv(path)  # error: AFY170
    frame.to_csv(path + ".out")  # error: AFY170 likely
    image = Image.open(path + ".png")  # error: AFY170 likely
    image.save(path + ".jpg")  # error: AFY170 likely
