import csv


class Table:
    def __init__(self):
        self.rows = []
        self.loaded = False

    async def load(self, path):
        with open(path, newline="") as f:
            self.rows = [row for row in csv.reader(f) if row]
            self.loaded = True
        return len(self.rows)
