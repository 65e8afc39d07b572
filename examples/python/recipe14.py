# CPython run of cookbook recipe 14 (MyFilter configured with dictConfig).
import logging
import logging.config


class MyFilter(logging.Filter):
    def __init__(self, param=None):
        self.param = param

    def filter(self, record):
        if self.param is None:
            allow = True
        else:
            allow = self.param not in record.msg
        if allow:
            record.msg = "changed: " + record.msg
        return allow


logging.config.dictConfig({
    "version": 1,
    "filters": {"myfilter": {"()": MyFilter, "param": "noshow"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["myfilter"]}},
    "root": {"level": "DEBUG", "handlers": ["console"]}})
logging.debug("hello")
logging.debug("hello - noshow")
