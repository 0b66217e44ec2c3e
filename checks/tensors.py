"""Visible checks and hints for notebook 01, tensors.

In the notebook::

    from checks import tensors as q
    q.describe_tensor.check(describe_tensor)
    q.describe_tensor.hint()
    q.describe_tensor.solution()

The cases below are the *visible* ones: a handful per exercise, smallest first, chosen to teach.  The
grading happens in the hidden tests of the solution notebook.
"""

import numpy as np

from .core import Case, describe_value
from .exercise import Exercise
from .i18n import _


describe_tensor = Exercise(
    name="describe_tensor",
    cases=[
        Case("a Python int is a rank-0 tensor (a scalar)", args=(7,), expected=(0, (), "int64")),
        Case("a Python float is a scalar too", args=(2.5,), expected=(0, (), "float64")),
        Case("a flat list is a vector (rank 1)", args=([1, 2, 3],), expected=(1, (3,), "int64")),
        Case(
            "a list of ints with one float in it: NumPy gives the whole array one dtype, float64",
            args=([1, 2.5],),
            expected=(1, (2,), "float64"),
            hint="The dtype belongs to the whole array: read it from the array np.asarray makes, not from the "
            "first entry of a list.",
        ),
        Case(
            "a 1 x 3 matrix is rank 2: an axis of length 1 still counts",
            args=(np.zeros((1, 3)),),
            expected=(2, (1, 3), "float64"),
            hint="Every axis counts, even one of length 1: describe the array as it is, without squeezing it.",
        ),
        Case(
            "a list of rows is a matrix (rank 2)",
            args=([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],),
            expected=(2, (2, 3), "float64"),
        ),
        Case(
            "a rank-3 uint8 array, like a stack of images",
            args=(np.zeros((4, 28, 28), np.uint8),),
            expected=(3, (4, 28, 28), "uint8"),
        ),
        Case(
            "a tuple is read as a sequence, like a list",
            args=((1, 2),),
            expected=(1, (2,), "int64"),
            hint="Let np.asarray read any array-like, tuples included, rather than treating some types apart.",
        ),
        Case(
            "a Python int too big for int64: NumPy keeps it as an object",
            args=(2**70,),
            expected=(0, (), "object"),
            hint="Do not choose a dtype yourself: the dtype is the one np.asarray gives, whatever the value.",
        ),
    ],
    hints=[
        "Turn whatever you were given into a NumPy array first: a Python number, a nested list and an "
        "array all become arrays, and every array knows its number of axes, its shape and its dtype.",
        "`np.asarray` makes the array; then you need its number of axes, its shape and the *name* of its "
        "dtype (a string such as 'uint8', not the dtype object itself).",
        "Return a tuple of three things, in this order: the number of axes (already an int), the shape (already "
        "a tuple) and the dtype's name (a str). For np.zeros((2, 3)) that is (2, (2, 3), 'float64').",
    ],
)


flatten_images = Exercise(
    name="flatten_images",
    cases=[
        Case(
            "one 2x2 image becomes one row of 4 pixels",
            args=(np.array([[[1, 2], [3, 4]]]),),
            expected=np.array([[1, 2, 3, 4]]),
        ),
        Case(
            "two 2x3 images: each row of an image follows the one above it (row-major)",
            args=(np.arange(12).reshape(2, 2, 3),),
            expected=np.array([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]),
        ),
        Case(
            "a batch of three 28x28 images becomes (3, 784)",
            args=(np.zeros((3, 28, 28), np.uint8),),
            satisfies=lambda out: (
                out.shape == (3, 784)
                or _("expected shape {expected}, got shape {got}").format(expected=(3, 784), got=out.shape)
            ),
        ),
        Case("a matrix is not a stack of images", args=(np.zeros((3, 784)),), raises=ValueError),
        Case(
            "a 4-D array (images with a colour channel) is refused too: only 3-D input is a stack of images",
            args=(np.zeros((2, 2, 2, 1)),),
            raises=ValueError,
            hint="Refuse everything that is not 3-D (`images.ndim != 3`), not only input with too few axes.",
        ),
        Case(
            "images stored column-major in memory (np.asfortranarray) are still flattened row by row",
            args=(np.asfortranarray(np.arange(12).reshape(2, 2, 3)),),
            expected=np.array([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]),
            hint="NumPy's default order='C' reads the pixels row by row whatever the memory layout; "
            "order='A', order='K' and ravel(order='K') follow the memory instead.",
        ),
    ],
    hints=[
        "Only the *layout* changes: the same pixels, in the same order, just fewer axes. Which NumPy "
        "method gives an array a new shape without touching its values?",
        "Check `images.ndim` first and `raise ValueError(...)` unless it is 3; then unpack `n, h, w = images.shape`.",
        "The new shape keeps the first axis (one row per image) and merges the other two: n rows of h * w "
        "pixels. NumPy's default order is row-major ('C'), which is what you want. Don't transpose, and don't "
        "use order='F'.",
    ],
)


def _scaled(label, pixels, expected, hint=""):
    """A case of scale_pixels: the uint8 image `pixels` gives the float32 image `expected`, in dtype float32."""
    return Case(
        label,
        args=(np.asarray(pixels, np.uint8),),
        expected=np.asarray(expected, np.float32),
        dtype="float32",
        hint=hint,
    )


scale_pixels = Exercise(
    name="scale_pixels",
    cases=[
        _scaled(label="black is 0 and white is 1", pixels=[0, 255], expected=[0.0, 1.0]),
        _scaled(label="grey levels in between", pixels=[[0, 51], [102, 255]], expected=[[0.0, 0.2], [0.4, 1.0]]),
        _scaled(
            label="dark grey levels keep every digit: 1/255 is 0.0039..., not 0.0",
            pixels=[1, 3, 254],
            expected=[0.003921569, 0.011764706, 0.99607843],
            hint="Divide by 255 and stop there: rounding the result merges nearby grey levels.",
        ),
        _scaled(
            label="an image whose brightest pixel is not 255 is not stretched",
            pixels=[[0, 51], [51, 102]],
            expected=[[0.0, 0.2], [0.2, 0.4]],
        ),
        _scaled(
            label="the shape is kept, whatever it is",
            pixels=np.full((2, 3, 4), 255, np.uint8),
            expected=np.ones((2, 3, 4), np.float32),
        ),
    ],
    hints=[
        "Two things must change: the dtype (uint8 -> float32) and the range (0..255 -> 0..1). "
        "The shape must not change.",
        "Convert with `.astype('float32')` (not `.reshape`!), then divide by 255, the largest value "
        "a uint8 can hold. Dividing by the image's own maximum is a different thing.",
        "Mind the order: convert first, then divide. A float32 array divided by a Python int stays float32, "
        "while dividing the uint8 array itself gives float64. Refusing non-uint8 input with a TypeError is a "
        "kindness to your future self.",
    ],
)


_ten = np.arange(10)
_pairs = np.arange(12).reshape(6, 2)

get_batch = Exercise(
    name="get_batch",
    cases=[
        Case("batch 0 of size 4 holds rows 0 to 3", args=(_ten, 0, 4), expected=np.array([0, 1, 2, 3])),
        Case("batch 1 of size 4 holds rows 4 to 7", args=(_ten, 1, 4), expected=np.array([4, 5, 6, 7])),
        Case("the last batch may be shorter", args=(_ten, 2, 4), expected=np.array([8, 9])),
        Case("there is no batch 3 of size 4 in 10 rows", args=(_ten, 3, 4), raises=IndexError),
        Case("batch indices start at 0", args=(_ten, -1, 4), raises=IndexError),
        Case(
            "batch -2: Python's slice x[-8:-4] would find rows, but batch numbers start at 0",
            args=(_ten, -2, 4),
            raises=IndexError,
            hint="Test `batch_index < 0` before slicing: a negative start counts from the end of the data "
            "and finds rows there.",
        ),
        Case(
            "8 rows: batch 2 of size 4 would start exactly at the end, so it is empty",
            args=(np.arange(8), 2, 4),
            raises=IndexError,
            hint="A batch that starts at row len(x) is empty: raise when `start >= len(x)`, not only when "
            "the start is past the end.",
        ),
        Case(
            "an empty dataset has no batch 0",
            args=(np.zeros((0, 2)), 0, 3),
            raises=IndexError,
            hint="Batch 0 exists only when there is at least one row: the same `start >= len(x)` test refuses it.",
        ),
        Case("a batch of a matrix is a block of whole rows", args=(_pairs, 1, 2), expected=np.array([[4, 5], [6, 7]])),
        Case(
            "rows in no particular order keep their order and their dtype (int16)",
            args=(np.array([[5, 1], [0, 7], [9, 2], [4, 4]], np.int16), 1, 2),
            expected=np.array([[9, 2], [4, 4]], np.int16),
            dtype=np.int16,
            hint="A batch is the rows as they are: a slice of x keeps their order and their dtype; do not sort, "
            "cast or rebuild them.",
        ),
        Case(
            "6 rows of 2 values: batch 3 of size 2 would start at row 6, past the last row",
            args=(_pairs, 3, 2),
            raises=IndexError,
            hint="`len(x)` counts the rows (axis 0); `x.size` counts every value of every row.",
        ),
    ],
    hints=[
        "Batch `batch_index` starts at row `batch_index * batch_size` and stops just before the next "
        "batch starts. Slicing past the end of an array is allowed in NumPy: it just gives fewer rows.",
        "One slice of axis 0, from the batch's first row up to (not including) the first row of the next "
        "batch, gives the whole batch whatever the rank of `x`.",
        "Before slicing, refuse what is no batch with an IndexError: a negative batch_index, or a first row at "
        "or past the end of the data (the batch would be empty); a `batch_size` below 1 deserves a clear error "
        "too.",
    ],
)


@get_batch.property(
    "a batch size below 1 (0 or -1) cannot make a batch: refused with IndexError or ValueError",
    hint="Refuse `batch_size < 1` before slicing: a size of 0 gives an empty batch, and a negative "
    "one slices from the end (x[0:-1] is every row but the last).",
)
def _refuses_batch_sizes_below_one(function):
    for size in (0, -1):
        try:
            batch = function(np.arange(10), 0, size)
        except (IndexError, ValueError):
            continue
        return _("get_batch(np.arange(10), 0, {size}) returned {batch} instead of raising").format(
            size=size, batch=describe_value(batch)
        )
    return True


naive_relu = Exercise(
    name="naive_relu",
    cases=[
        Case(
            "a negative becomes 0, a positive stays", args=(np.array([[-1.0, 2.0]]),), expected=np.array([[0.0, 2.0]])
        ),
        Case("a 1x1 matrix", args=(np.array([[-7.0]]),), expected=np.array([[0.0]])),
        Case(
            "fractions and values above 1 are kept as they are",
            args=(np.array([[0.5, -0.5], [30.0, -3.0]]),),
            expected=np.array([[0.5, 0.0], [30.0, 0.0]]),
        ),
        Case(
            "a matrix that is not square",
            args=(np.array([[1, -2, 3], [-4, 5, -6]]),),
            expected=np.array([[1, 0, 3], [0, 5, 0]]),
        ),
    ],
    hints=[
        "Work on a copy (`x.copy()`): the input must come back unchanged. Then visit every (row, "
        "column) position once.",
        "Two nested loops: `for i in range(x.shape[0])` over rows and `for j in range(x.shape[1])` "
        "over columns (a matrix need not be square).",
        "Inside the loops, each entry of the copy becomes the larger of itself and 0 (Python's built-in max, "
        "or an if); return the copy after both loops finish.",
    ],
)


naive_add = Exercise(
    name="naive_add",
    cases=[
        Case("a 1x2 plus a 1x2", args=(np.array([[1, 2]]), np.array([[10, 20]])), expected=np.array([[11, 22]])),
        Case(
            "a 2x3 plus a 2x3",
            args=(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), np.array([[0.5, -2.0, 0.0], [-4.0, 1.5, 10.0]])),
            expected=np.array([[1.5, 0.0, 3.0], [0.0, 6.5, 16.0]]),
        ),
        Case(
            "an int matrix plus a float one keeps the fractions",
            args=(np.array([[1, 2]]), np.array([[0.5, 0.25]])),
            expected=np.array([[1.5, 2.25]]),
            hint="Make the result with the dtype `x + y` would have (np.result_type of the two): a copy of the "
            "int matrix x stays int and cuts the fractions off.",
        ),
        Case("a 2x3 and a 3x2 do not match", args=(np.ones((2, 3)), np.ones((3, 2))), raises=ValueError),
        Case(
            "no silent broadcasting: a 2x3 and a 1x3 do not match",
            args=(np.ones((2, 3)), np.ones((1, 3))),
            raises=ValueError,
        ),
        Case(
            "a 2x3 and a 2x1 do not match either (same number of rows, fewer columns)",
            args=(np.ones((2, 3)), np.ones((2, 1))),
            raises=ValueError,
            hint="Compare the whole shapes (`x.shape != y.shape`), not only the number of rows.",
        ),
    ],
    hints=[
        "First compare `x.shape` with `y.shape` and `raise ValueError(...)` when they differ; NumPy's `+` "
        "would broadcast, but this function promises same-shape matrices.",
        "Make a new array for the result with the dtype `x + y` would have, `np.result_type(x, y)` (an int "
        "matrix plus a float one gives floats; `x.copy()` would keep int and truncate), then loop over rows "
        "`i` and columns `j`.",
        "The result has the shape of x and the dtype np.result_type gives for the two inputs; inside a loop over "
        "the rows and one over the columns, each of its entries is the sum of the two entries at the same "
        "(row, column).",
    ],
)


naive_matrix_dot = Exercise(
    name="naive_matrix_dot",
    cases=[
        Case("1x1 times 1x1", args=(np.array([[2.0]]), np.array([[3.0]])), expected=np.array([[6.0]])),
        Case(
            "a row times a column is one number",
            args=(np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]])),
            expected=np.array([[11.0]]),
        ),
        Case(
            "a column times a row is a whole table",
            args=(np.array([[1.0], [2.0]]), np.array([[3.0, 4.0, 5.0]])),
            expected=np.array([[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]]),
        ),
        Case(
            "(2, 3) x (3, 2) gives (2, 2)",
            args=(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]])),
            expected=np.array([[7.0, -1.0], [16.0, -1.0]]),
        ),
        Case(
            "an int matrix times a float one gives the exact float product, as x @ y would",
            args=(np.array([[1, 2]]), np.array([[0.5], [0.25]])),
            expected=np.array([[1.0]]),
            hint="Give the result the dtype `x @ y` would have (`np.result_type(x, y)`): a buffer of x's int "
            "dtype cuts every fraction off.",
        ),
        Case(
            "(2, 3) x (2, 3): the inner sizes 3 and 2 differ",
            args=(np.ones((2, 3)), np.ones((2, 3))),
            raises=ValueError,
        ),
    ],
    hints=[
        "Entry (i, j) of the product is the dot product of row i of `x` with column j of `y`: "
        "multiply them pairwise and add up. That needs the rows of `x` and the columns of `y` to have "
        "the same length k.",
        "Unpack `n, k = x.shape` and `k2, m = y.shape`; `raise ValueError` unless `k == k2`. The result "
        "has shape (n, m): start from `np.zeros((n, m))`.",
        "Three nested loops: over the rows i of x, over the columns j of y, and inside them over the k "
        "positions of the dot product, adding one product (an entry of row i times the matching entry of "
        "column j) at a time into entry (i, j).",
    ],
)
