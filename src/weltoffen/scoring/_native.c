/*
 * weltoffen.scoring._native: the optional compiled fast paths of scoring.
 *
 * What it trades: speed for a second implementation in C of three loops, nothing else. Two are
 * of engine.py, for score() of one response. read_known() is the table lookup at the top of
 * engine._read(); add_up() is engine._add_up() and engine._close_node() for a layout whose nodes
 * are all simple, without a trace. Both do the same operations on the same numbers in the same
 * order as the Python code (sums of doubles in slot order, math.fsum for the weighted means), so
 * the results are equal bit for bit; tests/test_scoring_reference.py holds both paths to the
 * plain reference scorer.
 * Everything else (answers a table does not settle, conditions, traces, other aggregations)
 * stays in Python. Where this module was not built, engine.py runs its own loops.
 *
 * read_codes() is the reading of option codes in scoring/codes.py (NumpyReader._options) for a
 * table of codes with a column per question, all of them choice-like: the same states and the
 * same values, in one pass over the codes instead of a transposed copy and several passes, and
 * without the interpreter lock, so that score_many's threads read side by side.
 *
 * Build it with -ffp-contract=off: a fused multiply-add would round differently from Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

/* Where each field is in a row (scoring/layout.py; the module exports them, and engine.py uses
 * this module only while they agree). */
enum { KIND, SLOT, STATE, VALUE, POINTS, EARNED, ATTAINABLE, APPLICABLE, COVERED, WEIGHTED,
       UNIT, ROW_SIZE };
/* ... and each field of a node layout (NodeLayout) */
enum { N_ID, N_SIMPLE, N_START, N_STOP, N_ATTAINABLE, N_APPLICABLE, N_EXACT, N_KIDS, N_BANDS,
       N_ON_POINTS, N_MIN_COVERAGE, NODE_SIZE };
/* ... and of a DimensionResult, in the order of its slot setters given to setup() */
enum { R_ID, R_SCORE, R_POINTS, R_MAX, R_COVERAGE, R_BAND, R_APPLICABLE, R_COUNTS, R_NOTE,
       R_DIMENSIONS, R_ITEMS, R_STATUS, RESULT_SIZE };

/* What setup() was given: the result class and its slot descriptors, and what a closed node
 * needs from Python. Set once, when engine.py is imported. */
static PyObject *result_class, *result_slots[RESULT_SIZE], *fsum, *low_coverage_note,
    *not_applicable_note, *nothing_answered_note, *scored, *not_applicable, *not_assessable,
    *counts_for, *empty_tuple;
static double eps;
static int ready;

/* What a parent reads of a child node (engine._Summary). */
typedef struct {
    int applicable;
    double points, max_points, coverage, score;
    int has_score;
    unsigned long long packed;
} Summary;

static PyObject *
setup(PyObject *module, PyObject *args)
{
    PyObject *cls, *slots, *given[8];
    double given_eps;
    if (!PyArg_ParseTuple(args, "OO!OdOOOOOOO", &cls, &PyTuple_Type, &slots, &given[0],
                          &given_eps, &given[1], &given[2], &given[3], &given[4], &given[5],
                          &given[6], &given[7]))
        return NULL;
    if (!PyType_Check(cls) || PyTuple_GET_SIZE(slots) != RESULT_SIZE) {
        PyErr_SetString(PyExc_TypeError, "setup: a class and its 12 slot descriptors expected");
        return NULL;
    }
    for (int i = 0; i < RESULT_SIZE; i++)
        if (Py_TYPE(PyTuple_GET_ITEM(slots, i))->tp_descr_set == NULL) {
            PyErr_SetString(PyExc_TypeError, "setup: a slot descriptor cannot set");
            return NULL;
        }
    if (empty_tuple == NULL && (empty_tuple = PyTuple_New(0)) == NULL)
        return NULL;
    /* all checked: kept for the life of the process (a second call replaces them) */
    Py_XSETREF(result_class, Py_NewRef(cls));
    for (int i = 0; i < RESULT_SIZE; i++)
        Py_XSETREF(result_slots[i], Py_NewRef(PyTuple_GET_ITEM(slots, i)));
    PyObject **kept[] = {&fsum, &low_coverage_note, &not_applicable_note, &nothing_answered_note,
                         &scored, &not_applicable, &not_assessable, &counts_for};
    for (int i = 0; i < 8; i++)
        Py_XSETREF(*kept[i], Py_NewRef(given[i]));
    eps = given_eps;
    ready = 1;
    Py_RETURN_NONE;
}

/* Put the row of the answer value to question qid into got, where its table settles it:
 * 1 when it did, 0 when the answer is left to engine._read(), -1 with an exception set. */
static int
settle(PyObject *tables, PyObject *got, PyObject *qid, PyObject *value)
{
    PyObject *table = PyDict_GetItemWithError(tables, qid);
    if (table == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyDict_Check(table))
        return 0;
    Py_INCREF(table);
    PyObject *row = PyDict_GetItemWithError(table, value);
    Py_XINCREF(row);
    Py_DECREF(table);
    if (row == NULL) {
        if (!PyErr_Occurred())
            return 0;
        if (!PyErr_ExceptionMatches(PyExc_TypeError))
            return -1;
        PyErr_Clear();  /* unhashable (a list): measured by engine._read() */
        return 0;
    }
    int known = 0;
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != ROW_SIZE) {
        PyErr_SetString(PyExc_TypeError, "read_known: a row is not a row tuple");
        known = -1;
    } else if ((PyObject *)Py_TYPE(value) == PyTuple_GET_ITEM(row, KIND)) {
        Py_ssize_t slot = PyLong_AsSsize_t(PyTuple_GET_ITEM(row, SLOT));
        if (slot == -1 && PyErr_Occurred()) {
            known = -1;
        } else if (slot < 0 || slot >= PyList_GET_SIZE(got)) {
            PyErr_SetString(PyExc_IndexError, "read_known: a row's slot is out of range");
            known = -1;
        } else {
            PyList_SetItem(got, slot, row);  /* steals row, releases the row it replaces */
            return 1;
        }
    }
    Py_DECREF(row);
    return known;
}

/* read_known(tables, got, answers): put the row of every answer its question's table settles
 * into got (by the row's slot); return the other (question id, answer) pairs in order, for
 * engine._read() to measure or report. None when answers is not a dict. */
static PyObject *
read_known(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyDict_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "read_known(tables: dict, got: list, answers)");
        return NULL;
    }
    PyObject *tables = args[0], *got = args[1], *answers = args[2];
    if (!PyDict_Check(answers))
        Py_RETURN_NONE;
    PyObject *rest = PyList_New(0);
    if (rest == NULL)
        return NULL;
    Py_ssize_t pos = 0;
    PyObject *qid, *value;
    while (PyDict_Next(answers, &pos, &qid, &value)) {
        /* held while lookups may run Python code (a key's __eq__) */
        Py_INCREF(qid);
        Py_INCREF(value);
        int known = settle(tables, got, qid, value);
        if (known == 0) {
            PyObject *pair = PyTuple_Pack(2, qid, value);
            known = pair == NULL || PyList_Append(rest, pair) < 0 ? -1 : 0;
            Py_XDECREF(pair);
        }
        Py_DECREF(qid);
        Py_DECREF(value);
        if (known < 0)
            goto fail;
    }
    return rest;
fail:
    Py_DECREF(rest);
    return NULL;
}

/* The double in a tuple at i, or -1 with an exception set (check PyErr_Occurred). */
static inline double
item_double(PyObject *tuple, Py_ssize_t i)
{
    PyObject *x = PyTuple_GET_ITEM(tuple, i);
    return PyFloat_CheckExact(x) ? PyFloat_AS_DOUBLE(x) : PyFloat_AsDouble(x);
}

/* math.fsum(items) as a double, or -1 with an exception set. */
static double
call_fsum(PyObject *items)
{
    PyObject *sum = PyObject_CallOneArg(fsum, items);
    if (sum == NULL)
        return -1.0;
    double x = PyFloat_AsDouble(sum);
    Py_DECREF(sum);
    return x;
}

/* A new DimensionResult with its fields in order: its slots set as attrs' __init__ sets them
 * (dimension_results.quick_dimension_result checked the class is as expected). Steals nothing. */
static PyObject *
new_result(PyObject *const *fields)
{
    PyTypeObject *cls = (PyTypeObject *)result_class;
    PyObject *result = cls->tp_alloc(cls, 0);
    if (result == NULL)
        return NULL;
    for (int i = 0; i < RESULT_SIZE; i++) {
        PyObject *slot = result_slots[i];
        if (Py_TYPE(slot)->tp_descr_set(slot, result, fields[i]) < 0) {
            Py_DECREF(result);
            return NULL;
        }
    }
    return result;
}

/* Close one simple node, as engine._add_up() and engine._close_node() do: results[k] gets its
 * result (a new reference) and sums[k] its summary. Returns 0, or -1 with an exception set. */
static int
close_node(PyObject *spec, PyObject *got, Py_ssize_t k, PyObject **results, Summary *sums,
           PyObject *weighted, PyObject *weights, PyObject *counts_of, PyObject *layout,
           int absent)
{
    PyObject *node_id = PyTuple_GET_ITEM(spec, N_ID);
    Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(spec, N_START));
    Py_ssize_t stop = PyLong_AsSsize_t(PyTuple_GET_ITEM(spec, N_STOP));
    double all_attainable = item_double(spec, N_ATTAINABLE);
    double all_applicable = item_double(spec, N_APPLICABLE);
    int exact = PyObject_IsTrue(PyTuple_GET_ITEM(spec, N_EXACT));
    PyObject *kids = PyTuple_GET_ITEM(spec, N_KIDS), *bands = PyTuple_GET_ITEM(spec, N_BANDS);
    int on_points = PyObject_IsTrue(PyTuple_GET_ITEM(spec, N_ON_POINTS));
    double min_coverage = item_double(spec, N_MIN_COVERAGE);
    if (PyErr_Occurred())
        return -1;
    if (start < 0 || stop < start || stop > PyList_GET_SIZE(got) || !PyTuple_Check(kids)
        || !PyTuple_Check(bands)) {
        PyErr_SetString(PyExc_ValueError, "add_up: a node layout does not fit the rows");
        return -1;
    }

    /* the sums over the node's rows, in slot order */
    double earned = 0.0, covered = 0.0, attainable, applicable;
    unsigned long long packed = 0;
    PyObject **rows = PySequence_Fast_ITEMS(got) + start;
    Py_ssize_t n = stop - start;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = rows[i];
        if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != ROW_SIZE) {
            PyErr_SetString(PyExc_TypeError, "add_up: a row is not a row tuple");
            return -1;
        }
        earned += item_double(row, EARNED);
        covered += item_double(row, COVERED);
        packed += PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(row, UNIT));
        PyObject *product = PyTuple_GET_ITEM(row, WEIGHTED);
        if (PyErr_Occurred())
            return -1;
        int nonzero = PyObject_IsTrue(product);  /* a zero adds nothing to the fsum */
        if (nonzero < 0 || (nonzero && PyList_Append(weighted, product) < 0))
            return -1;
    }
    if (packed >> absent) {  /* a question takes no part: add up those that do */
        attainable = applicable = 0.0;
        for (Py_ssize_t i = 0; i < n; i++) {
            attainable += item_double(rows[i], ATTAINABLE);
            applicable += item_double(rows[i], APPLICABLE);
        }
    } else {
        attainable = all_attainable;
        applicable = all_applicable;
    }
    if (exact) {
        PyObject *sum = PyFloat_FromDouble(covered);
        if (sum == NULL || PyList_Append(weights, sum) < 0) {
            Py_XDECREF(sum);
            return -1;
        }
        Py_DECREF(sum);
    } else {
        for (Py_ssize_t i = 0; i < n; i++)
            if (PyList_Append(weights, PyTuple_GET_ITEM(rows[i], COVERED)) < 0)
                return -1;
    }
    if (PyErr_Occurred())
        return -1;

    /* its children, as a parent reads them */
    Py_ssize_t n_kids = PyTuple_GET_SIZE(kids);
    PyObject *children = n_kids ? PyTuple_New(n_kids) : Py_NewRef(empty_tuple);
    if (children == NULL)
        return -1;
    for (Py_ssize_t j = 0; j < n_kids; j++) {
        PyObject *kid = PyTuple_GET_ITEM(kids, j);
        Py_ssize_t ci = PyTuple_Check(kid) && PyTuple_GET_SIZE(kid) == 2
                            ? PyLong_AsSsize_t(PyTuple_GET_ITEM(kid, 0))
                            : -1;
        if (ci < 0 || ci >= k) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "add_up: a child comes after its parent");
            goto fail_children;
        }
        double aw = item_double(kid, 1);
        if (PyErr_Occurred())
            goto fail_children;
        PyTuple_SET_ITEM(children, j, Py_NewRef(results[ci]));
        Summary *c = &sums[ci];
        packed += c->packed;
        if (!c->applicable)
            continue;
        applicable += aw;
        covered += aw * c->coverage;
        attainable += c->max_points;
        earned += c->points;
        if (c->has_score) {
            PyObject *part = PyFloat_FromDouble(c->score / 100.0 * aw);
            PyObject *weight = part ? PyFloat_FromDouble(aw) : NULL;
            int failed = weight == NULL || PyList_Append(weighted, part) < 0
                         || PyList_Append(weights, weight) < 0;
            Py_XDECREF(part);
            Py_XDECREF(weight);
            if (failed)
                goto fail_children;
        }
    }

    /* score, coverage, note and status */
    double total = call_fsum(weights);
    if (total == -1.0 && PyErr_Occurred())
        goto fail_children;
    int has_coverage = applicable > 0;
    double coverage = has_coverage ? covered / applicable : 0.0;
    double value = 0.0;
    int has_value = 0;
    PyObject *note = Py_None, *status = not_assessable, *made_note = NULL;
    if (!has_coverage) {
        note = not_applicable_note;
        status = not_applicable;
    } else if (coverage + eps < min_coverage) {
        PyObject *call_args[] = {NULL, NULL};
        call_args[0] = PyFloat_FromDouble(coverage);
        call_args[1] = call_args[0] ? PyFloat_FromDouble(min_coverage) : NULL;
        if (call_args[1] != NULL)
            made_note = PyObject_Vectorcall(low_coverage_note, call_args, 2, NULL);
        Py_XDECREF(call_args[0]);
        Py_XDECREF(call_args[1]);
        if (made_note == NULL)
            goto fail_children;
        note = made_note;
    } else if (total <= 0) {
        note = nothing_answered_note;
    } else {
        double sum = call_fsum(weighted);
        if (sum == -1.0 && PyErr_Occurred())
            goto fail_children;
        double raw = 100.0 * (sum / total);
        raw = raw > 0.0 ? raw : 0.0;
        value = raw < 100.0 ? raw : 100.0;
        has_value = 1;
        status = scored;
    }

    /* its band: the first whose range holds the score (or the points) */
    PyObject *band = Py_None;
    if (has_value) {
        double x = on_points ? earned : value;
        for (Py_ssize_t b = 0; b < PyTuple_GET_SIZE(bands); b++) {
            PyObject *entry = PyTuple_GET_ITEM(bands, b);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 4) {
                PyErr_SetString(PyExc_TypeError, "add_up: a band is not (low, high, id, closed)");
                goto fail_note;
            }
            double low = item_double(entry, 0), high = item_double(entry, 1);
            int closed = PyObject_IsTrue(PyTuple_GET_ITEM(entry, 3));
            if (PyErr_Occurred())
                goto fail_note;
            if ((low <= x && x < high) || (closed && x == high)) {
                band = PyTuple_GET_ITEM(entry, 2);
                break;
            }
        }
    }

    /* its counts: read-only mappings shared between results (engine._counts) */
    PyObject *key = PyLong_FromUnsignedLongLong(packed), *counts = NULL;
    if (key == NULL)
        goto fail_note;
    counts = PyDict_GetItemWithError(counts_of, key);
    if (counts != NULL) {
        Py_INCREF(counts);
    } else if (!PyErr_Occurred()) {
        PyObject *call_args[] = {counts_of, layout, key};
        counts = PyObject_Vectorcall(counts_for, call_args, 3, NULL);
    }
    Py_DECREF(key);
    if (counts == NULL)
        goto fail_note;

    PyObject *score_obj = has_value ? PyFloat_FromDouble(value) : Py_NewRef(Py_None);
    PyObject *points_obj = PyFloat_FromDouble(earned);
    PyObject *max_obj = PyFloat_FromDouble(attainable);
    PyObject *coverage_obj = has_coverage ? PyFloat_FromDouble(coverage) : Py_NewRef(Py_None);
    PyObject *result = NULL;
    if (score_obj && points_obj && max_obj && coverage_obj) {
        PyObject *fields[RESULT_SIZE] = {
            [R_ID] = node_id, [R_SCORE] = score_obj, [R_POINTS] = points_obj,
            [R_MAX] = max_obj, [R_COVERAGE] = coverage_obj, [R_BAND] = band,
            [R_APPLICABLE] = has_coverage ? Py_True : Py_False, [R_COUNTS] = counts,
            [R_NOTE] = note, [R_DIMENSIONS] = children, [R_ITEMS] = empty_tuple,
            [R_STATUS] = status,
        };
        result = new_result(fields);
    }
    Py_XDECREF(score_obj);
    Py_XDECREF(points_obj);
    Py_XDECREF(max_obj);
    Py_XDECREF(coverage_obj);
    Py_DECREF(counts);
    Py_XDECREF(made_note);
    Py_DECREF(children);
    if (result == NULL)
        return -1;
    results[k] = result;
    sums[k] = (Summary){has_coverage, earned, attainable, coverage, value, has_value, packed};
    return 0;

fail_note:
    Py_XDECREF(made_note);
fail_children:
    Py_DECREF(children);
    return -1;
}

/* add_up(nodes, got, counts_of, layout, absent): close every node, children first, as
 * engine._add_up() does for a layout of simple nodes without a trace; return the root's
 * result. absent is the lowest lane of the states whose questions take no part. */
static PyObject *
add_up(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!ready) {
        PyErr_SetString(PyExc_RuntimeError, "add_up: setup() was not called");
        return NULL;
    }
    if (nargs != 5 || !PyTuple_Check(args[0]) || !PyList_Check(args[1])
        || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError,
                        "add_up(nodes: tuple, got: list, counts_of: dict, layout, absent: int)");
        return NULL;
    }
    PyObject *nodes = args[0], *got = args[1], *counts_of = args[2], *layout = args[3];
    long absent = PyLong_AsLong(args[4]);
    if (absent == -1 && PyErr_Occurred())
        return NULL;
    if (absent < 0 || absent > 63) {
        PyErr_SetString(PyExc_ValueError, "add_up: packed counts must fit 64 bits");
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(nodes);
    if (count == 0) {
        PyErr_SetString(PyExc_ValueError, "add_up: a layout has at least its root");
        return NULL;
    }
    PyObject **results = PyMem_Calloc(count, sizeof(PyObject *));
    Summary *sums = PyMem_Calloc(count, sizeof(Summary));
    PyObject *weighted = PyList_New(0), *weights = PyList_New(0), *root = NULL;
    if (results == NULL || sums == NULL || weighted == NULL || weights == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t k;
    for (k = 0; k < count; k++) {
        PyObject *spec = PyTuple_GET_ITEM(nodes, k);
        if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != NODE_SIZE) {
            PyErr_SetString(PyExc_TypeError, "add_up: a node is not a node layout");
            goto done;
        }
        /* the lists are emptied, not made anew, for each node */
        if (PyList_SetSlice(weighted, 0, PY_SSIZE_T_MAX, NULL) < 0
            || PyList_SetSlice(weights, 0, PY_SSIZE_T_MAX, NULL) < 0
            || close_node(spec, got, k, results, sums, weighted, weights, counts_of, layout,
                          (int)absent) < 0)
            goto done;
    }
    root = Py_NewRef(results[count - 1]);
done:
    if (results != NULL)
        for (k = 0; k < count; k++)
            Py_XDECREF(results[k]);
    PyMem_Free(results);
    PyMem_Free(sums);
    Py_XDECREF(weighted);
    Py_XDECREF(weights);
    return root;
}


/* A buffer of the given item size and kind: 'd' for doubles, 'i' for 64-bit integers, 'b' for
 * bytes, C-contiguous, of count items (or any count when count < 0). */
static int
get_buffer(PyObject *object, Py_buffer *view, int writable, char kind, Py_ssize_t count,
           const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(object, view, flags) < 0)
        return -1;
    const char *format = view->format ? view->format : "B";
    if (format[0] == '=' || format[0] == '<' || format[0] == '@')
        format++;
    int fits;
    switch (kind) {
    case 'd':
        fits = view->itemsize == 8 && strcmp(format, "d") == 0;
        break;
    case 'i':
        fits = view->itemsize == 8 && (strcmp(format, "l") == 0 || strcmp(format, "q") == 0);
        break;
    default:
        fits = view->itemsize == 1 && strcmp(format, "b") == 0;
    }
    if (!fits || (count >= 0 && view->len / view->itemsize != count)) {
        PyErr_Format(PyExc_TypeError, "read_codes: %s is not the array expected", name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* read_codes(codes, sizes, offsets, values, points, states_out, values_out, points_out,
 *            answered, skipped) -> the number of cells that are neither NaN nor a code.
 *
 * codes: (rows, n) doubles, one column per question; sizes and offsets: per question, its
 * number of options and where its options start in values and points (doubles: each option's
 * normalised value and points). A cell is answered when it is a whole number 0 <= code < size,
 * skipped otherwise; the outputs are (n, rows), a row per question, as a block holds them:
 * its state code, value and points (0 where not answered). points_out may be None. */
static PyObject *
read_codes(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 10) {
        PyErr_SetString(PyExc_TypeError, "read_codes takes 10 arguments");
        return NULL;
    }
    long answered = PyLong_AsLong(args[8]), skipped = PyLong_AsLong(args[9]);
    if (PyErr_Occurred())
        return NULL;
    Py_buffer codes, sizes, offsets, values, points, states_out, values_out, points_out;
    int held = 0;
    PyObject *result = NULL;
    if (get_buffer(args[1], &sizes, 0, 'i', -1, "sizes") < 0)
        goto done;
    held++;
    Py_ssize_t n = sizes.len / 8;
    if (get_buffer(args[0], &codes, 0, 'd', -1, "codes") < 0)
        goto done;
    held++;
    if (n == 0 || codes.ndim != 2 || codes.shape[1] != n) {
        PyErr_SetString(PyExc_TypeError, "read_codes: codes need a column per question");
        goto done;
    }
    Py_ssize_t rows = codes.shape[0];
    if (get_buffer(args[2], &offsets, 0, 'i', n, "offsets") < 0)
        goto done;
    held++;
    if (get_buffer(args[3], &values, 0, 'd', -1, "values") < 0)
        goto done;
    held++;
    Py_ssize_t options = values.len / 8;
    if (get_buffer(args[4], &points, 0, 'd', options, "points") < 0)
        goto done;
    held++;
    if (get_buffer(args[5], &states_out, 1, 'b', n * rows, "states_out") < 0)
        goto done;
    held++;
    if (get_buffer(args[6], &values_out, 1, 'd', n * rows, "values_out") < 0)
        goto done;
    held++;
    int with_points = args[7] != Py_None;
    if (with_points) {
        if (get_buffer(args[7], &points_out, 1, 'd', n * rows, "points_out") < 0)
            goto done;
        held++;
    }
    const long long *size = sizes.buf, *offset = offsets.buf;
    for (Py_ssize_t q = 0; q < n; q++)
        if (size[q] < 0 || offset[q] < 0 || offset[q] + size[q] > options) {
            PyErr_SetString(PyExc_ValueError, "read_codes: an option table is out of range");
            goto done;
        }

    const double *x = codes.buf, *value = values.buf, *point = points.buf;
    signed char *state = states_out.buf;
    double *value_out = values_out.buf, *point_out = with_points ? points_out.buf : NULL;
    Py_ssize_t bad = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < rows; r++) {
        const double *row = x + r * n;
        for (Py_ssize_t q = 0; q < n; q++) {
            double cell = row[q];
            /* as the numpy reading decides it: a whole number in range (-0.0 is 0); written
             * without branches, which random missing cells would mispredict */
            int in_range = (cell >= 0.0) & (cell < (double)size[q]);
            long long code = (long long)(in_range ? cell : 0.0);
            int valid = in_range & ((double)code == cell);
            Py_ssize_t at = q * rows + r, option = offset[q] + (valid ? code : 0);
            state[at] = (signed char)(valid ? answered : skipped);
            value_out[at] = valid ? value[option] : 0.0;
            if (point_out)
                point_out[at] = valid ? point[option] : 0.0;
            bad += !valid & (cell == cell);  /* NaN is the only cell unequal to itself */
        }
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(bad);
done:
    /* the buffers in the order they were taken */
    {
        Py_buffer *order[] = {&sizes, &codes, &offsets, &values, &points, &states_out,
                              &values_out, &points_out};
        for (int i = 0; i < held; i++)
            PyBuffer_Release(order[i]);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS,
     "setup(result_class, slots, fsum, eps, low_coverage_note, not_applicable_note, "
     "nothing_answered_note, scored, not_applicable, not_assessable, counts_for)"},
    {"read_known", (PyCFunction)(void (*)(void))read_known, METH_FASTCALL,
     "read_known(tables, got, answers) -> the (question, answer) pairs no table settles"},
    {"add_up", (PyCFunction)(void (*)(void))add_up, METH_FASTCALL,
     "add_up(nodes, got, counts_of, layout, absent) -> the root's DimensionResult"},
    {"read_codes", (PyCFunction)(void (*)(void))read_codes, METH_FASTCALL,
     "read_codes(codes, sizes, offsets, values, points, states_out, values_out, points_out, "
     "answered, skipped) -> the number of cells neither NaN nor an option code"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_native",
    .m_doc = "The optional compiled fast paths of scoring (see the top of _native.c).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    PyObject *module = PyModule_Create(&native_module);
    if (module == NULL)
        return NULL;
    /* the fields of a row and of a node layout this module reads, in order (engine.py uses
     * it only while they are those of scoring/layout.py) */
    PyObject *rows = Py_BuildValue("(sssssssssss)", "kind", "slot", "state", "value", "points",
                                   "earned", "attainable", "applicable", "covered", "weighted",
                                   "unit");
    if (rows == NULL || PyModule_AddObject(module, "ROW_FIELDS", rows) < 0) {
        Py_XDECREF(rows);
        goto fail;
    }
#ifdef SOURCE_SHA256
    if (PyModule_AddStringConstant(module, "SOURCE_SHA256", SOURCE_SHA256) < 0)
        goto fail;
#endif
    PyObject *nodes = Py_BuildValue("(sssssssssss)", "id", "simple", "start", "stop",
                                    "attainable", "applicable", "exact", "kids", "bands",
                                    "on_points", "min_coverage");
    if (nodes == NULL || PyModule_AddObject(module, "NODE_FIELDS", nodes) < 0) {
        Py_XDECREF(nodes);
        goto fail;
    }
    return module;
fail:
    Py_DECREF(module);
    return NULL;
}
