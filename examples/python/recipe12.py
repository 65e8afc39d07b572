# CPython run of cookbook recipe 12 (both scripts), keyword arguments in the
# order the cookbook's printed output shows them.
import json
import logging


class Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, set):
            return tuple(o)
        return super().default(o)


class StructuredMessage:
    def __init__(self, message, encoder=None, **kwargs):
        self.message = message
        self.encoder = encoder
        self.kwargs = kwargs

    def __str__(self):
        if self.encoder is not None:
            return '%s >>> %s' % (self.message, self.encoder.encode(self.kwargs))
        return '%s >>> %s' % (self.message, json.dumps(self.kwargs))


_ = StructuredMessage
logging.basicConfig(level=logging.INFO, format='%(message)s')
logging.info(_('message 1', fnum=123.456, num=123, bar='baz', foo='bar'))
logging.info(_('message 1', Encoder(), snowman='\u2603', set_value=set([1, 2, 3])))
