import os


async def show(path):
    print(os.listdir(path), len(os.listdir(compute(path))))
    log("size", os.path.getsize(path), sep=": ")
