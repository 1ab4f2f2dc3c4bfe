import csv


async def first_match(paths, wanted):
    for path in paths:
        with open(path, newline="") as f:
            for row in csv.reader(f):
                if row == wanted:
                    break
            else:
                continue
            break


class Loader(csv.DictReader):
    async def load(self, path):
        with open(path, newline="") as f:
            self.rows = super().parse(csv.reader(f))


async def lines(path):
    with open(path) as f:
        for row in csv.reader(f):
            yield row


async def typed(path):
    count = 0
    with open(path) as f:
        count: int = len(list(csv.reader(f)))
    return count


async def previous(paths):
    for path in paths:
        with open(path) as f:
            if path != paths[0]:
                print(last)
            last = list(csv.reader(f))


async def frame(path):
    with open(path) as f:
        rows = list(csv.reader(f))
        print(locals())


async def concurrent(path, reader):
    with open(path) as f:
        async for chunk in reader(f):
            print(chunk)
