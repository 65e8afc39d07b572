// libsawmill from Node.js through koffi: no C glue, only the C API of
// include/sawmill.h declared here. Creates a logger and a
// RotatingFileHandler, logs numbered records (some with non-ASCII text, of
// varying length) until it has rolled over many times, then closes it.
//
//   node rotating.js LIBSAWMILL_SO LOGFILE [RECORDS] [MAX_BYTES] [BACKUPS]
//
// bindings/node/check_rotating.py runs it and compares the files with
// CPython's RotatingFileHandler given the same records.
'use strict';

const koffi = require('koffi');

const [libPath, logFile] = process.argv.slice(2, 4);
const records = Number(process.argv[4] || 3000);
const maxBytes = Number(process.argv[5] || 4096);
const backups = Number(process.argv[6] || 100);
if (!libPath || !logFile) {
  console.error('usage: node rotating.js LIBSAWMILL_SO LOGFILE [RECORDS] [MAX_BYTES] [BACKUPS]');
  process.exit(2);
}

const lib = koffi.load(libPath);
// The handles are opaque: JS only passes the pointers back.
koffi.opaque('sawmill_logger');
koffi.opaque('sawmill_handler');
koffi.opaque('sawmill_formatter');

const SAWMILL_OK = 0;
const LEVEL_DEBUG = 10;
const LEVEL_INFO = 20;

const c = {
  version: lib.func('const char *sawmill_version(void)'),
  lastError: lib.func('const char *sawmill_last_error(void)'),
  getLogger: lib.func('sawmill_logger *sawmill_get_logger(const char *name)'),
  loggerSetLevel: lib.func('int sawmill_logger_set_level(sawmill_logger *l, int level)'),
  loggerSetPropagate: lib.func('int sawmill_logger_set_propagate(sawmill_logger *l, bool propagate)'),
  loggerAddHandler: lib.func('int sawmill_logger_add_handler(sawmill_logger *l, sawmill_handler *h)'),
  loggerRemoveHandler: lib.func('int sawmill_logger_remove_handler(sawmill_logger *l, sawmill_handler *h)'),
  rotatingFileHandlerNew: lib.func(
    'sawmill_handler *sawmill_rotating_file_handler_new(const char *path, const char *mode, ' +
      'uint64_t max_bytes, uint32_t backup_count, bool delay)'),
  formatterNew: lib.func('sawmill_formatter *sawmill_formatter_new(const char *fmt, const char *datefmt, char style)'),
  formatterRelease: lib.func('void sawmill_formatter_release(sawmill_formatter *f)'),
  handlerSetFormatter: lib.func('int sawmill_handler_set_formatter(sawmill_handler *h, sawmill_formatter *f)'),
  handlerErrorCount: lib.func('uint64_t sawmill_handler_error_count(const sawmill_handler *h)'),
  handlerClose: lib.func('int sawmill_handler_close(sawmill_handler *h)'),
  handlerRelease: lib.func('void sawmill_handler_release(sawmill_handler *h)'),
  log: lib.func('int sawmill_log(sawmill_logger *l, int level, const char *file, int line, const char *func, const char *msg)'),
};

function check(status, what) {
  if (status !== SAWMILL_OK) {
    throw new Error(`${what}: status ${status}: ${c.lastError()}`);
  }
}

function made(pointer, what) {
  if (pointer === null) {
    throw new Error(`${what}: ${c.lastError()}`);
  }
  return pointer;
}

// The message of record i: numbered, some with non-ASCII text, varying length.
function message(i) {
  const accents = i % 7 === 0 ? ' h\u00e9llo \u2713' : '';
  return `record ${i}${accents} ${'x'.repeat(i % 41)}`;
}

const logger = made(c.getLogger('node.rotating'), 'sawmill_get_logger');
const handler = made(c.rotatingFileHandlerNew(logFile, 'a', maxBytes, backups, false),
  'sawmill_rotating_file_handler_new');
const formatter = made(c.formatterNew('%(message)s', null, '%'.charCodeAt(0)), 'sawmill_formatter_new');
check(c.handlerSetFormatter(handler, formatter), 'sawmill_handler_set_formatter');
c.formatterRelease(formatter); // the handler holds its own reference
check(c.loggerSetLevel(logger, LEVEL_DEBUG), 'sawmill_logger_set_level');
check(c.loggerSetPropagate(logger, false), 'sawmill_logger_set_propagate');
check(c.loggerAddHandler(logger, handler), 'sawmill_logger_add_handler');

for (let i = 0; i < records; i++) {
  check(c.log(logger, LEVEL_INFO, 'rotating.js', 0, null, message(i)), 'sawmill_log');
}

check(c.loggerRemoveHandler(logger, handler), 'sawmill_logger_remove_handler');
check(c.handlerClose(handler), 'sawmill_handler_close');
const errors = c.handlerErrorCount(handler);
c.handlerRelease(handler);
console.log(`sawmill ${c.version()}: ${records} records logged, ${errors} handler errors`);
process.exit(Number(errors) === 0 ? 0 : 1);
