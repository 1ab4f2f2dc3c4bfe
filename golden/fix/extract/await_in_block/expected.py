async def upload(client, path):
    with open(path, "rb") as f:
        await client.send(f)
