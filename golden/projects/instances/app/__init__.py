from app.db import db as shared_db

__all__ = ["shared_db"]
