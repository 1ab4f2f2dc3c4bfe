from .io.files import read_settings as read_settings
