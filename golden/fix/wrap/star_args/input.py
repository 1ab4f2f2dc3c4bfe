async def forward(fn, *args, **kwargs):
    fn(*args, **kwargs)
    fn(1, *args, key="k", **kwargs)
