# CPython run of cookbook recipe 18 (a UTC formatter next to a local one),
# plus the hours alone on stdout so that the difference survives masking.
import logging
import logging.config
import time


class UTCFormatter(logging.Formatter):
    converter = time.gmtime


logging.config.dictConfig({
    "version": 1, "disable_existing_loggers": False,
    "formatters": {
        "utc": {"()": UTCFormatter, "format": "%(asctime)s %(message)s"},
        "local": {"format": "%(asctime)s %(message)s"},
        "utc_hour": {"()": UTCFormatter, "format": "UTC hour %(asctime)s", "datefmt": "%H"},
        "local_hour": {"format": "local hour %(asctime)s", "datefmt": "%H"}},
    "handlers": {
        "console1": {"class": "logging.StreamHandler", "formatter": "utc"},
        "console2": {"class": "logging.StreamHandler", "formatter": "local"},
        "hours1": {"class": "logging.StreamHandler", "formatter": "utc_hour",
                   "stream": "ext://sys.stdout"},
        "hours2": {"class": "logging.StreamHandler", "formatter": "local_hour",
                   "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console1", "console2", "hours1", "hours2"]}})
logging.warning("The local time is shown first in UTC")
