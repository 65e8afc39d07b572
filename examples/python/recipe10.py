# CPython run of cookbook recipe 10 (Django's example dictionary, Django-only
# classes swapped as in recipe10_dictconfig.c), writing into argv[1].
import logging
import logging.config
import sys
import types


class SpecialFilter(logging.Filter):
    def __init__(self, foo=None):
        self.foo = foo

    def filter(self, record):
        return not self.foo or self.foo not in record.msg


module = types.ModuleType("project.logging")
module.SpecialFilter = SpecialFilter
sys.modules["project"] = types.ModuleType("project")
sys.modules["project"].logging = module
sys.modules["project.logging"] = module

logging.config.dictConfig({
    "version": 1, "disable_existing_loggers": True,
    "formatters": {
        "verbose": {"format": "%(levelname)s %(asctime)s %(module)s %(process)d %(thread)d %(message)s"},
        "simple": {"format": "%(levelname)s %(message)s"}},
    "filters": {"special": {"()": "project.logging.SpecialFilter", "foo": "bar"}},
    "handlers": {
        "null": {"level": "DEBUG", "class": "logging.NullHandler"},
        "console": {"level": "DEBUG", "class": "logging.StreamHandler", "formatter": "simple"},
        "mail_admins": {"level": "ERROR", "class": "logging.FileHandler",
                        "filename": sys.argv[1] + "/mail_admins.log", "filters": ["special"]}},
    "loggers": {
        "django": {"handlers": ["null"], "propagate": True, "level": "INFO"},
        "django.request": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": False},
        "myproject.custom": {"handlers": ["console", "mail_admins"], "level": "INFO",
                             "filters": ["special"]}}})
custom = logging.getLogger("myproject.custom")
request = logging.getLogger("django.request")
django = logging.getLogger("django")
custom.debug("custom debug")
custom.info("custom info")
custom.info("custom info about bar")
custom.error("custom error")
request.info("request info")
request.error("request error")
request.critical("request critical at the bar")
django.warning("django warning")
