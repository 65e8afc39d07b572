# CPython run of cookbook recipe 7.1: a LoggerAdapter subclass whose
# process() prepends ' [connid]', the default adapter merging its dict, and
# a dict-like object whose value is computed per record.
import logging
import sys


class CustomAdapter(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        return ' [%s] %s' % (self.extra['connid'], msg), kwargs


class Sequence:
    """Looks like a dict to logging; its value changes with every record."""

    def __init__(self):
        self.n = 0

    def __iter__(self):
        return iter(['connid'])

    def __getitem__(self, key):
        self.n += 1
        return 'seq-%d' % self.n


logging.basicConfig(level=logging.DEBUG, format='%(levelname)-8s %(name)s%(message)s')
logger = logging.getLogger('recipe07')
adapter = CustomAdapter(logger, {'connid': 'conn-42'})
adapter.info('connected from %s', '10.0.0.1')
adapter.debug('received %d bytes', 512)

other = logging.getLogger('recipe07.ctx')
other.propagate = False
handler = logging.StreamHandler(sys.stderr)
handler.setFormatter(logging.Formatter('%(levelname)-8s %(name)s %(connid)s: %(message)s'))
other.addHandler(handler)
logging.LoggerAdapter(other, {'connid': 'conn-7'}).warning('closing %s', 'now')
dynamic = logging.LoggerAdapter(other, Sequence())
dynamic.error('first event')
dynamic.error('second event')
logger.setLevel(logging.INFO)
adapter.debug('not shown: %d', 1)
adapter.info('done')
