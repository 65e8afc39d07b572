/* sawmill._speedups: the enabled logging call (Logger.debug/info/warning/
 * error/critical) in C, an optional extension of the Python package.
 *
 * Logger.log(level, msg, *args) too (a LevelMethod of level -1).
 *
 * A LevelMethod is a method descriptor: `logger.info(msg, *args)` reaches
 * level_call with the logger first, and no Python frame is pushed, so the
 * caller's frame is the current one. The common call (no keyword arguments,
 * no Python callback attached anywhere, a str message, positional arguments
 * of plain types) is done here: level check by reading the logger's
 * threshold field, the caller's file/function from a cache keyed by code
 * object, its line from a per-code (instruction offset -> line) cache, the
 * message %-formatted only when there are arguments, its UTF-8 bytes taken
 * from the str itself (no bytes object), one direct call of sawmill_log
 * with the GIL released. Anything else goes to the Python method the
 * descriptor wraps (which does the same work in Python, reports errors as
 * the stdlib does), so behaviour never depends on this module being built.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef int (*sawmill_log_fn)(void *logger, int level, const char *file, int line,
                              const char *func, const char *msg);

static sawmill_log_fn log_fn;      /* sawmill_log of the library the package loaded */
static PyObject *code_entry;       /* sawmill._code_entry(code) -> (internal, file, func, ...) */
static PyObject *name_thread;      /* sawmill._name_thread() */
static PyObject *module_dict;      /* sawmill's globals: _callbacks_live is read there */
static PyObject *str_ptr;          /* "_ptr" */
static PyObject *str_live;         /* "_callbacks_live" */

/* code object -> its entry (a direct-mapped cache; a slot holds references,
 * so a cached code object's address is not reused while it is cached). */
#define SLOTS 1024
struct slot {
    PyObject *code;
    PyObject *entry;
    int internal;
    int lasti;  /* last instruction offset looked up, -1 none */
    int lineno; /* its line */
};
static struct slot cache[SLOTS];

static _Thread_local int thread_named;

/* The last logger called and its sawmill logger (a Logger's _ptr is set once,
 * in __init__): the attribute look-up is skipped for repeated calls. */
static PyObject *last_logger;
static void *last_ptr;

typedef struct {
    PyObject_HEAD
    int level;
    PyObject *fallback; /* the Python method */
    vectorcallfunc vectorcall;
} LevelMethod;

static struct slot *lookup(PyObject *code)
{
    struct slot *s = &cache[((uintptr_t)code >> 4) % SLOTS];
    if (s->code == code)
        return s;
    PyObject *entry = PyObject_CallOneArg(code_entry, code);
    if (entry == NULL)
        return NULL;
    if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) < 3 ||
        !PyBytes_Check(PyTuple_GET_ITEM(entry, 1)) || !PyBytes_Check(PyTuple_GET_ITEM(entry, 2))) {
        Py_DECREF(entry);
        PyErr_SetString(PyExc_TypeError, "_code_entry: bad entry");
        return NULL;
    }
    int internal = PyObject_IsTrue(PyTuple_GET_ITEM(entry, 0));
    if (internal < 0) {
        Py_DECREF(entry);
        return NULL;
    }
    Py_INCREF(code);
    PyObject *old_code = s->code, *old_entry = s->entry;
    s->code = code;
    s->entry = entry;
    s->internal = internal;
    s->lasti = -1;
    s->lineno = 0;
    Py_XDECREF(old_code);
    Py_XDECREF(old_entry);
    return s;
}

static int plain(PyObject *o)
{
    PyTypeObject *t = Py_TYPE(o);
    return t == &PyUnicode_Type || t == &PyLong_Type || t == &PyFloat_Type ||
           t == &PyBytes_Type || t == &PyTuple_Type || t == &PyList_Type ||
           t == &PyBool_Type || o == Py_None;
}

/* Appends n bytes at *o; 0 when buf is full. */
static int put(char *buf, Py_ssize_t cap, Py_ssize_t *o, const char *src, Py_ssize_t n)
{
    if (n > cap - *o)
        return 0;
    memcpy(buf + *o, src, (size_t)n);
    *o += n;
    return 1;
}

/* msg % args for the common templates, as UTF-8 into buf (NUL-terminated):
 * "%s" of an exact str or int, "%d"/"%i"/"%u" of an exact int (one that fits
 * 64 bits), "%%", and as many conversions as arguments. The length, or -1
 * when the template, an argument or the room needs PyUnicode_Format. */
static Py_ssize_t quick_format(PyObject *msg, PyObject *const *args, Py_ssize_t n, char *buf,
                               Py_ssize_t size)
{
    Py_ssize_t len, o = 0, k = 0, cap = size - 1;
    const char *t = PyUnicode_AsUTF8AndSize(msg, &len);
    if (t == NULL) {
        PyErr_Clear();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        const char *pct = memchr(t + i, '%', (size_t)(len - i));
        Py_ssize_t run = pct == NULL ? len - i : pct - (t + i);
        if (!put(buf, cap, &o, t + i, run))
            return -1;
        i += run;
        if (i >= len)
            break;
        if (++i >= len)
            return -1;
        char c = t[i];
        if (c == '%') {
            if (!put(buf, cap, &o, "%", 1))
                return -1;
            continue;
        }
        if (k >= n)
            return -1;
        PyObject *a = args[k++];
        if (c == 's' && PyUnicode_CheckExact(a)) {
            Py_ssize_t alen;
            const char *u = PyUnicode_AsUTF8AndSize(a, &alen);
            if (u == NULL) {
                PyErr_Clear();
                return -1;
            }
            if (!put(buf, cap, &o, u, alen))
                return -1;
        } else if ((c == 's' || c == 'd' || c == 'i' || c == 'u') && PyLong_CheckExact(a)) {
            int overflow;
            long long v = PyLong_AsLongLongAndOverflow(a, &overflow);
            if (overflow || (v == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                return -1;
            }
            char digits[24];
            char *d = digits + sizeof digits;
            unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            do {
                *--d = (char)('0' + u % 10);
                u /= 10;
            } while (u != 0);
            if (v < 0)
                *--d = '-';
            if (!put(buf, cap, &o, d, digits + sizeof digits - d))
                return -1;
        } else {
            return -1;
        }
    }
    if (k != n)
        return -1;
    buf[o] = '\0';
    return o;
}

/* 1 done, 0 not handled here (the Python method does the call), -1 error */
static int fast(LevelMethod *m, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *self = args[0], *msg = args[1];
    PyObject *const *rest = args + 2; /* the arguments after msg */
    Py_ssize_t n = nargs - 2;
    int level = m->level;
    if (level < 0) { /* Logger.log(level, msg, *args) */
        if (nargs < 3 || !PyLong_CheckExact(args[1]))
            return 0;
        int overflow;
        long lv = PyLong_AsLongAndOverflow(args[1], &overflow);
        if (overflow || lv < INT_MIN || lv > INT_MAX) {
            PyErr_Clear();
            return 0;
        }
        level = (int)lv;
        msg = args[2];
        rest = args + 3;
        n = nargs - 3;
    }
    void *ptr;
    if (self == last_logger) {
        ptr = last_ptr;
    } else {
        PyObject *ptr_obj = PyObject_GetAttr(self, str_ptr);
        if (ptr_obj == NULL)
            return -1;
        ptr = PyLong_AsVoidPtr(ptr_obj);
        Py_DECREF(ptr_obj);
        if (ptr == NULL)
            return PyErr_Occurred() ? -1 : 0;
        Py_XSETREF(last_logger, Py_NewRef(self));
        last_ptr = ptr;
    }
    /* the logger's lowest emitted level: the first field of sawmill's logger */
    if ((int64_t)level < *(const int64_t *)ptr)
        return 1;
    PyObject *live = PyDict_GetItemWithError(module_dict, str_live);
    if (live == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (live != Py_False && PyObject_IsTrue(live) != 0)
        return 0;
    if (!PyUnicode_CheckExact(msg))
        return 0;
    PyObject *text = NULL;
    const char *utf8 = NULL;
    char buf[1024];
    if (n == 0) {
        text = Py_NewRef(msg);
    } else if (quick_format(msg, rest, n, buf, sizeof buf) >= 0) {
        utf8 = buf;
    } else {
        if (n == 1 && !plain(rest[0]))
            return 0; /* a mapping, or an object with its own %: Python's way */
        PyObject *tuple = PyTuple_New(n);
        if (tuple == NULL)
            return -1;
        for (Py_ssize_t i = 0; i < n; i++)
            PyTuple_SET_ITEM(tuple, i, Py_NewRef(rest[i]));
        text = PyUnicode_Format(msg, tuple);
        Py_DECREF(tuple);
        if (text == NULL) {
            PyErr_Clear(); /* the Python method reports it as the stdlib does */
            return 0;
        }
    }
    if (text != NULL) {
        utf8 = PyUnicode_AsUTF8AndSize(text, NULL);
        if (utf8 == NULL) { /* lone surrogates: the Python method passes them */
            PyErr_Clear();
            Py_XDECREF(text);
            return 0;
        }
    }
    PyFrameObject *f = PyEval_GetFrame();
    Py_XINCREF(f);
    struct slot *s = NULL;
    while (f != NULL) {
        PyCodeObject *code = PyFrame_GetCode(f);
        s = lookup((PyObject *)code);
        Py_DECREF(code);
        if (s == NULL) {
            Py_DECREF(f);
            Py_XDECREF(text);
            return -1;
        }
        if (!s->internal)
            break;
        PyFrameObject *back = PyFrame_GetBack(f);
        Py_DECREF(f);
        f = back;
    }
    if (f == NULL) {
        Py_XDECREF(text);
        return 0;
    }
    int lasti = PyFrame_GetLasti(f);
    if (lasti < 0 || lasti != s->lasti) {
        s->lineno = PyFrame_GetLineNumber(f);
        s->lasti = lasti;
    }
    int lineno = s->lineno;
    /* Held from here: the slot may be refilled by another thread while this
     * one runs Python code (_name_thread) or has released the GIL. */
    PyObject *entry = Py_NewRef(s->entry);
    Py_DECREF(f);
    if (!thread_named) {
        PyObject *r = PyObject_CallNoArgs(name_thread);
        if (r == NULL) {
            Py_DECREF(entry);
            Py_XDECREF(text);
            return -1;
        }
        Py_DECREF(r);
        thread_named = 1;
    }
    const char *file = PyBytes_AS_STRING(PyTuple_GET_ITEM(entry, 1));
    const char *func = PyBytes_AS_STRING(PyTuple_GET_ITEM(entry, 2));
    Py_BEGIN_ALLOW_THREADS
    log_fn(ptr, level, file, lineno, func, utf8);
    Py_END_ALLOW_THREADS
    Py_DECREF(entry);
    Py_XDECREF(text);
    return 1;
}

static PyObject *level_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                                  PyObject *kwnames)
{
    LevelMethod *m = (LevelMethod *)callable;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (log_fn != NULL && nargs >= 2 && (kwnames == NULL || PyTuple_GET_SIZE(kwnames) == 0)) {
        int rc = fast(m, args, nargs);
        if (rc < 0)
            return NULL;
        if (rc > 0)
            Py_RETURN_NONE;
    }
    return PyObject_Vectorcall(m->fallback, args, nargsf, kwnames);
}

static PyObject *level_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    (void)type;
    if (obj == NULL || obj == Py_None)
        return Py_NewRef(self);
    return PyMethod_New(self, obj);
}

static int level_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    LevelMethod *m = (LevelMethod *)self;
    int level;
    PyObject *fallback;
    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError, "LevelMethod takes no keyword arguments");
        return -1;
    }
    if (!PyArg_ParseTuple(args, "iO:LevelMethod", &level, &fallback))
        return -1;
    m->level = level;
    Py_XSETREF(m->fallback, Py_NewRef(fallback));
    m->vectorcall = level_vectorcall;
    return 0;
}

static int level_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((LevelMethod *)self)->fallback);
    return 0;
}

static void level_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_CLEAR(((LevelMethod *)self)->fallback);
    Py_TYPE(self)->tp_free(self);
}

/* __name__, __doc__, ... of the Python method */
static PyObject *level_getattro(PyObject *self, PyObject *name)
{
    PyObject *r = PyObject_GenericGetAttr(self, name);
    if (r == NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
        r = PyObject_GetAttr(((LevelMethod *)self)->fallback, name);
    }
    return r;
}

static PyTypeObject LevelMethodType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sawmill._speedups.LevelMethod",
    .tp_basicsize = sizeof(LevelMethod),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL |
                Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_vectorcall_offset = offsetof(LevelMethod, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_descr_get = level_descr_get,
    .tp_getattro = level_getattro,
    .tp_init = level_init,
    .tp_new = PyType_GenericNew,
    .tp_traverse = level_traverse,
    .tp_dealloc = level_dealloc,
    .tp_doc = "Logger.debug/info/...: the common call in C, others by the Python method.",
};

/* init(address of sawmill_log, _code_entry, _name_thread, the package's globals) */
static PyObject *init(PyObject *mod, PyObject *args)
{
    (void)mod;
    PyObject *addr, *entry_fn, *name_fn, *globals;
    if (!PyArg_ParseTuple(args, "OOOO!:init", &addr, &entry_fn, &name_fn, &PyDict_Type, &globals))
        return NULL;
    void *p = PyLong_AsVoidPtr(addr);
    if (p == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "init: NULL sawmill_log");
        return NULL;
    }
    Py_XSETREF(code_entry, Py_NewRef(entry_fn));
    Py_XSETREF(name_thread, Py_NewRef(name_fn));
    Py_XSETREF(module_dict, Py_NewRef(globals));
    memcpy(&log_fn, &p, sizeof log_fn); /* a data address to a function pointer (POSIX) */
    Py_RETURN_NONE;
}

/* Drops every reference this module holds (the package's globals, the cached
 * code objects), at exit: the package's module is then finalized as if this
 * module did not exist. Later calls take the Python method. */
static PyObject *clear(PyObject *mod, PyObject *unused)
{
    (void)mod;
    (void)unused;
    log_fn = NULL;
    Py_CLEAR(code_entry);
    Py_CLEAR(name_thread);
    Py_CLEAR(module_dict);
    Py_CLEAR(last_logger);
    for (size_t i = 0; i < SLOTS; i++) {
        Py_CLEAR(cache[i].code);
        Py_CLEAR(cache[i].entry);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"init", init, METH_VARARGS, "Sets sawmill_log's address and the package's helpers."},
    {"clear", clear, METH_NOARGS, "Drops the references this module holds (at exit)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "sawmill._speedups", "The enabled logging call in C.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__speedups(void)
{
    str_ptr = PyUnicode_InternFromString("_ptr");
    str_live = PyUnicode_InternFromString("_callbacks_live");
    if (str_ptr == NULL || str_live == NULL || PyType_Ready(&LevelMethodType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "LevelMethod", (PyObject *)&LevelMethodType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
