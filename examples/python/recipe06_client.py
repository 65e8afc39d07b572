# Cookbook recipe 6, the sending end, in Python 3 form. The port comes from
# the first argument (default: logging.handlers.DEFAULT_TCP_LOGGING_PORT);
# "udp" as second argument sends with DatagramHandler instead.
import logging, logging.handlers
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else logging.handlers.DEFAULT_TCP_LOGGING_PORT
udp = len(sys.argv) > 2 and sys.argv[2] == 'udp'

rootLogger = logging.getLogger('')
rootLogger.setLevel(logging.DEBUG)
if udp:
    socketHandler = logging.handlers.DatagramHandler('localhost', port)
else:
    socketHandler = logging.handlers.SocketHandler('localhost', port)
# don't bother with a formatter, since a socket handler sends the event as
# an unformatted pickle
rootLogger.addHandler(socketHandler)

# Now, we can log to the root logger, or any other logger. First the root...
logging.info('Jackdaws love my big sphinx of quartz.')

# Now, define a couple of other loggers which might represent areas in your
# application:

logger1 = logging.getLogger('myapp.area1')
logger2 = logging.getLogger('myapp.area2')

logger1.debug('Quick zephyrs blow, vexing daft Jim.')
logger1.info('How quickly daft jumping zebras vex.')
logger2.warning('Jail zesty vixen who grabbed pay from quack.')
logger2.error('The five boxing wizards jump quickly.')
