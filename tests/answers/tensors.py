"""Answers a learner might write for notebook 01 (tensors): the mistakes, and correct alternatives.

Every `@wrong` answer must be rejected by the hidden tests alone; every `@right` one must pass every
test cell.  A wrong answer's docstring names the mistake.
"""
import numpy as np

from . import right, wrong


# ---------------------------------------------------------------- describe_tensor
@wrong("describe_tensor")
def describe_tensor_shape_as_list(x):
    """Returns the shape as a list instead of a tuple."""
    a = np.asarray(x)
    return a.ndim, list(a.shape), a.dtype.name


@wrong("describe_tensor")
def describe_tensor_dtype_object(x):
    """Returns the dtype object instead of its name."""
    a = np.asarray(x)
    return a.ndim, a.shape, a.dtype


@wrong("describe_tensor")
def describe_tensor_dtype_str_code(x):
    """Returns the dtype's byte-order code ('<i8') instead of its name."""
    a = np.asarray(x)
    return a.ndim, a.shape, a.dtype.str


@wrong("describe_tensor")
def describe_tensor_scalars_as_rank_1(x):
    """Counts the rank as len(shape) but treats a scalar as a vector of one (np.atleast_1d)."""
    a = np.atleast_1d(x)
    return len(a.shape), a.shape, a.dtype.name


@wrong("describe_tensor")
def describe_tensor_len_for_rank(x):
    """Uses len(x) for lists and x.ndim otherwise: the length of the first axis, not the rank."""
    if isinstance(x, list):
        a = np.asarray(x)
        return len(x), a.shape, a.dtype.name
    a = np.asarray(x)
    return a.ndim, a.shape, a.dtype.name


@wrong("describe_tensor")
def describe_tensor_arrays_only(x):
    """Reads the attributes straight off x: fails for Python scalars and lists."""
    return x.ndim, x.shape, x.dtype.name


@wrong("describe_tensor")
def describe_tensor_python_type(x):
    """Returns the Python type's name ('list', 'ndarray') instead of the dtype."""
    a = np.asarray(x)
    return a.ndim, a.shape, type(x).__name__


@wrong("describe_tensor")
def describe_tensor_size_not_rank(x):
    """Returns the number of entries (size) instead of the number of axes."""
    a = np.asarray(x)
    return a.size, a.shape, a.dtype.name


@wrong("describe_tensor")
def describe_tensor_forces_float(x):
    """Converts everything to float before describing it."""
    a = np.asarray(x, dtype=float)
    return a.ndim, a.shape, a.dtype.name


@wrong("describe_tensor")
def describe_tensor_numpy_ints(x):
    """Returns the rank as a NumPy integer and the shape as NumPy integers."""
    a = np.asarray(x)
    return np.int64(a.ndim), tuple(np.array(a.shape, dtype=np.int64)), a.dtype.name


@right("describe_tensor")
def describe_tensor_np_functions(x):
    """np.ndim and np.shape accept any array-like; str(dtype) is the name for these dtypes."""
    return np.ndim(x), np.shape(x), str(np.asarray(x).dtype)


@right("describe_tensor")
def describe_tensor_copy(x):
    """np.array (a copy) instead of np.asarray, and the rank as len(shape)."""
    a = np.array(x)
    return len(a.shape), tuple(int(n) for n in a.shape), a.dtype.name


# ---------------------------------------------------------------- flatten_images
@wrong("flatten_images")
def flatten_images_column_major(images):
    """Flattens in column-major order (order='F')."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h, w = images.shape
    return images.reshape(n, h * w, order="F")


@wrong("flatten_images")
def flatten_images_fortran_per_image(images):
    """Flattens each image column by column (image.T.ravel())."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    return np.stack([image.T.ravel() for image in images])


@wrong("flatten_images")
def flatten_images_transposes(images):
    """Swaps the pixel axes before flattening."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    return images.transpose(0, 2, 1).reshape(len(images), -1)


@wrong("flatten_images")
def flatten_images_accepts_2d(images):
    """Never checks the rank: a 2-D batch passes through silently."""
    return images.reshape(len(images), -1)


@wrong("flatten_images")
def flatten_images_only_rejects_2d(images):
    """Rejects 2-D input only; 4-D images with a channel axis are flattened silently."""
    if images.ndim == 2:
        raise ValueError("already flat")
    return images.reshape(-1, images.shape[1] * images.shape[2])


@wrong("flatten_images")
def flatten_images_assert(images):
    """Checks the rank with assert: AssertionError, not ValueError."""
    assert images.ndim == 3, "expected (N, H, W)"
    return images.reshape(len(images), -1)


@wrong("flatten_images")
def flatten_images_one_vector(images):
    """Flattens everything into one long vector."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    return images.ravel()


@wrong("flatten_images")
def flatten_images_axes_swapped(images):
    """Puts the pixels first: shape (H*W, N)."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h, w = images.shape
    return images.reshape(n, h * w).T


@wrong("flatten_images")
def flatten_images_in_place(images):
    """Changes the shape of the input array itself."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h, w = images.shape
    images.shape = (n, h * w)
    return images


@wrong("flatten_images")
def flatten_images_reversed_samples(images):
    """Loses the sample order (the images come back in reverse)."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    return images[::-1].reshape(len(images), -1)


@right("flatten_images")
def flatten_images_unpacking(images):
    """Unpacking a shape that is not 3 long already raises ValueError."""
    n, h, w = images.shape
    return np.reshape(images, (n, h * w))


@right("flatten_images")
def flatten_images_minus_one(images):
    """x.reshape(len(x), -1), after checking the rank."""
    if images.ndim != 3:
        raise ValueError(f"expected (N, H, W), got {images.shape}")
    return images.reshape(len(images), -1)


@right("flatten_images")
def flatten_images_stack_rows(images):
    """Each image flattened on its own (row-major ravel), then stacked."""
    if np.ndim(images) != 3:
        raise ValueError("expected (N, H, W)")
    return np.stack([image.ravel() for image in images])


# ---------------------------------------------------------------- scale_pixels
@wrong("scale_pixels")
def scale_pixels_by_256(images):
    """Divides by 256 instead of 255."""
    return images.astype(np.float32) / 256


@wrong("scale_pixels")
def scale_pixels_float64(images):
    """Divides by 255 but returns float64."""
    return images / 255


@wrong("scale_pixels")
def scale_pixels_float16(images):
    """Returns float16."""
    return (images / 255).astype(np.float16)


@wrong("scale_pixels")
def scale_pixels_in_place(images):
    """Writes the scaled values back into the uint8 input, then converts it."""
    images[...] = images / 255
    return images.astype(np.float32)


@wrong("scale_pixels")
def scale_pixels_by_max(images):
    """Divides by the largest value in the batch instead of 255."""
    return images.astype(np.float32) / images.max()


@wrong("scale_pixels")
def scale_pixels_min_max(images):
    """Min-max normalisation: stretches every batch to [0, 1]."""
    images = images.astype(np.float32)
    return (images - images.min()) / (images.max() - images.min())


@wrong("scale_pixels")
def scale_pixels_integer_division(images):
    """Integer division: everything but 255 becomes 0."""
    return images // 255


@wrong("scale_pixels")
def scale_pixels_flattens(images):
    """Also flattens the images, changing the shape."""
    return images.reshape(len(images), -1).astype(np.float32) / 255


@wrong("scale_pixels")
def scale_pixels_minus_one_to_one(images):
    """Scales to [-1, 1] (images / 127.5 - 1), as some image models do, instead of [0, 1]."""
    return images.astype(np.float32) / 127.5 - 1


@right("scale_pixels")
def scale_pixels_divide_dtype(images):
    """np.divide with dtype=float32."""
    return np.divide(images, 255, dtype=np.float32)


@right("scale_pixels")
def scale_pixels_reciprocal(images):
    """Multiplies float32 pixels by 1/255."""
    return images.astype("float32") * (1 / 255)


@right("scale_pixels")
def scale_pixels_float64_then_cast(images):
    """Divides in float64, then casts to float32."""
    return (images / 255.0).astype(np.float32)


# ---------------------------------------------------------------- get_batch
@wrong("get_batch")
def get_batch_one_row_too_many(x, batch_index, batch_size):
    """Off by one: the batch ends one row late."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= len(x):
        raise IndexError("no such batch")
    return x[start:start + batch_size + 1]


@wrong("get_batch")
def get_batch_starts_one_late(x, batch_index, batch_size):
    """Off by one: the batch starts one row late."""
    start = batch_index * batch_size + 1
    if batch_index < 0 or batch_size < 1 or start > len(x):
        raise IndexError("no such batch")
    return x[start:start + batch_size]


@wrong("get_batch")
def get_batch_counts_from_one(x, batch_index, batch_size):
    """Numbers batches from 1: batch 1 is the first."""
    if batch_index < 1 or batch_size < 1 or (batch_index - 1) * batch_size >= len(x):
        raise IndexError("no such batch")
    return x[(batch_index - 1) * batch_size:batch_index * batch_size]


@wrong("get_batch")
def get_batch_never_raises(x, batch_index, batch_size):
    """Never raises: empty batches and negative indices come back as slices."""
    return x[batch_index * batch_size:(batch_index + 1) * batch_size]


@wrong("get_batch")
def get_batch_only_empty_raises(x, batch_index, batch_size):
    """Raises only for an empty result: a negative index that finds rows is accepted."""
    batch = x[batch_index * batch_size:(batch_index + 1) * batch_size]
    if len(batch) == 0:
        raise IndexError("empty batch")
    return batch


@wrong("get_batch")
def get_batch_boundary_off_by_one(x, batch_index, batch_size):
    """Checks start > len(x) instead of >=: a batch starting at the very end comes back empty."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start > len(x):
        raise IndexError("no such batch")
    return x[start:start + batch_size]


@wrong("get_batch")
def get_batch_index_as_row(x, batch_index, batch_size):
    """Uses batch_index as the first row rather than the batch number."""
    if batch_index < 0 or batch_size < 1 or batch_index >= len(x):
        raise IndexError("no such batch")
    return x[batch_index:batch_index + batch_size]


@wrong("get_batch")
def get_batch_refuses_short_last_batch(x, batch_index, batch_size):
    """Raises for the last, shorter batch."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start + batch_size > len(x):
        raise IndexError("no such batch")
    return x[start:start + batch_size]


@wrong("get_batch")
def get_batch_array_split(x, batch_index, batch_size):
    """Splits into ceil(N / batch_size) near-equal parts with np.array_split."""
    if batch_index < 0 or batch_size < 1:
        raise IndexError("no such batch")
    parts = np.array_split(x, -(-len(x) // batch_size))
    if batch_index >= len(parts):
        raise IndexError("no such batch")
    return parts[batch_index]


@wrong("get_batch")
def get_batch_value_error(x, batch_index, batch_size):
    """Raises ValueError instead of IndexError for a missing batch."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= len(x):
        raise ValueError("no such batch")
    return x[start:start + batch_size]


@wrong("get_batch")
def get_batch_last_axis(x, batch_index, batch_size):
    """Slices the last axis instead of axis 0."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= x.shape[-1]:
        raise IndexError("no such batch")
    return x[..., start:start + batch_size]


@wrong("get_batch")
def get_batch_accepts_size_zero(x, batch_index, batch_size):
    """Checks the start only: a batch size of 0 returns an empty batch."""
    start = batch_index * batch_size
    if batch_index < 0 or start >= len(x):
        raise IndexError("no such batch")
    return x[start:start + batch_size]


@right("get_batch")
def get_batch_check_result(x, batch_index, batch_size):
    """Slices first, then raises IndexError when the result is empty or the index negative."""
    if batch_index < 0:
        raise IndexError("batch_index must not be negative")
    batch = x[batch_index * batch_size:(batch_index + 1) * batch_size]
    if len(batch) == 0:
        raise IndexError("empty batch")
    return batch


@right("get_batch")
def get_batch_row_indices(x, batch_index, batch_size):
    """Builds the row indices with np.arange and takes them (a copy, not a view)."""
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    if batch_index < 0 or batch_index * batch_size >= len(x):
        raise IndexError("no such batch")
    stop = min((batch_index + 1) * batch_size, len(x))
    return np.take(x, np.arange(batch_index * batch_size, stop), axis=0)


# ---------------------------------------------------------------- naive_relu
@wrong("naive_relu")
def naive_relu_clips_at_one(x):
    """Clips at 1 as well as at 0."""
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = min(max(x[i, j], 0), 1)
    return out


@wrong("naive_relu")
def naive_relu_min(x):
    """Uses min instead of max: keeps the negatives and zeroes the positives."""
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = min(x[i, j], 0)
    return out


@wrong("naive_relu")
def naive_relu_abs(x):
    """Takes the absolute value: negatives become positive instead of 0."""
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = abs(x[i, j])
    return out


@wrong("naive_relu")
def naive_relu_leaky(x):
    """A leaky relu: keeps a small part of the negatives."""
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = max(x[i, j], 0.01 * x[i, j])
    return out


@wrong("naive_relu")
def naive_relu_in_place(x):
    """Changes the input in place (no copy)."""
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = max(x[i, j], 0)
    return x


@wrong("naive_relu")
def naive_relu_square_loops(x):
    """Loops over range(x.shape[0]) for the columns too, as if every matrix were square."""
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[0]):
            if j < x.shape[1]:
                out[i, j] = max(x[i, j], 0)
    return out


@wrong("naive_relu")
def naive_relu_return_in_loop(x):
    """Returns from inside the row loop: only the first row is processed."""
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = max(x[i, j], 0)
        return out


@wrong("naive_relu")
def naive_relu_int_result(x):
    """Builds the result in an int array: fractions are truncated."""
    out = np.zeros(x.shape, dtype=int)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = max(x[i, j], 0)
    return out


@wrong("naive_relu")
def naive_relu_nested_list(x):
    """Returns nested Python lists instead of an array."""
    return [[max(v, 0) for v in row] for row in x]


@right("naive_relu")
def naive_relu_fill_zeros(x):
    """Starts from zeros of the same dtype and copies the positive entries."""
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if x[i, j] > 0:
                out[i, j] = x[i, j]
    return out


@right("naive_relu")
def naive_relu_float_result(x):
    """Fills a float64 result with rows built in Python."""
    rows, cols = x.shape
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = x[i, j] if x[i, j] > 0 else 0.0
    return out


# ---------------------------------------------------------------- naive_add
@wrong("naive_add")
def naive_add_broadcasts(x, y):
    """Never checks the shapes: NumPy's + broadcasts silently."""
    return x + y


@wrong("naive_add")
def naive_add_in_place(x, y):
    """Adds y into x itself."""
    if x.shape != y.shape:
        raise ValueError("shapes differ")
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] += y[i, j]
    return x


@wrong("naive_add")
def naive_add_checks_size(x, y):
    """Compares the sizes, not the shapes: a 2x6 and a 3x4 pass, then the loops fail or broadcast."""
    if x.size != y.size:
        raise ValueError("sizes differ")
    return x + y.reshape(x.shape)


@wrong("naive_add")
def naive_add_checks_rows(x, y):
    """Checks the number of rows only; a 1-row or 1-column y is broadcast."""
    if len(x) != len(y):
        raise ValueError("rows differ")
    return x + y


@wrong("naive_add")
def naive_add_assert(x, y):
    """Checks the shapes with assert: AssertionError, not ValueError."""
    assert x.shape == y.shape
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] += y[i, j]
    return out


@wrong("naive_add")
def naive_add_square_loops(x, y):
    """Loops over range(x.shape[0]) for the columns too."""
    if x.shape != y.shape:
        raise ValueError("shapes differ")
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(min(x.shape[0], x.shape[1])):
            out[i, j] += y[i, j]
    return out


@wrong("naive_add")
def naive_add_int_result(x, y):
    """Builds the result in an int array: fractions are truncated."""
    if x.shape != y.shape:
        raise ValueError("shapes differ")
    out = np.zeros(x.shape, dtype=int)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = x[i, j] + y[i, j]
    return out


@wrong("naive_add")
def naive_add_swapped_indices(x, y):
    """Indexes y as y[j, i]: adds the transpose of y (and fails outright when x is not square)."""
    if x.shape != y.shape:
        raise ValueError("shapes differ")
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] += y[j, i]
    return out


@right("naive_add")
def naive_add_chollet(x, y):
    """The book's version: copy x, add y entry by entry; ValueError instead of assert."""
    if x.shape != y.shape:
        raise ValueError(f"shapes differ: {x.shape} and {y.shape}")
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] += y[i, j]
    return out


@right("naive_add")
def naive_add_comprehension(x, y):
    """Nested list comprehension, turned into an array."""
    if np.shape(x) != np.shape(y):
        raise ValueError("shapes differ")
    return np.array([[x[i, j] + y[i, j] for j in range(x.shape[1])] for i in range(x.shape[0])])


# ---------------------------------------------------------------- naive_matrix_dot
def _loops(x, y, n, m, k):
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            for t in range(k):
                out[i, j] += x[i, t] * y[t, j]
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_transposed(x, y):
    """Returns the transpose of the product, shape (m, n)."""
    if x.shape[1] != y.shape[0]:
        raise ValueError("inner sizes differ")
    return _loops(x, y, x.shape[0], y.shape[1], x.shape[1]).T


@wrong("naive_matrix_dot")
def naive_matrix_dot_elementwise(x, y):
    """Multiplies element-wise (x * y) instead of rows by columns."""
    if x.shape[1] != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros(x.shape)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = x[i, j] * y[i, j]
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_k_m_swapped(x, y):
    """Takes the result's columns from y.shape[0] (k) instead of y.shape[1] (m)."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros((n, k))
    for i in range(n):
        for j in range(min(k, y.shape[1])):
            for t in range(k):
                out[i, j] += x[i, t] * y[t, j]
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_no_check(x, y):
    """Never checks the inner sizes: zip silently truncates the longer side."""
    out = np.zeros((x.shape[0], y.shape[1]))
    for i in range(x.shape[0]):
        for j in range(y.shape[1]):
            out[i, j] = sum(a * b for a, b in zip(x[i, :], y[:, j]))
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_assert(x, y):
    """The book's assert: AssertionError, not ValueError."""
    assert x.shape[1] == y.shape[0]
    return _loops(x, y, x.shape[0], y.shape[1], x.shape[1])


@wrong("naive_matrix_dot")
def naive_matrix_dot_running_total(x, y):
    """Sets the running total to 0 once per row, not per entry: sums leak into the next entries."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros((n, y.shape[1]))
    for i in range(n):
        total = 0.0
        for j in range(y.shape[1]):
            for t in range(k):
                total += x[i, t] * y[t, j]
            out[i, j] = total
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_rows_by_rows(x, y):
    """Multiplies row i of x by row j of y (that is x times y transposed)."""
    if x.shape[1] != y.shape[0]:
        raise ValueError("inner sizes differ")
    n, m = x.shape[0], y.shape[1]
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = np.dot(x[i], y[j])
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_skips_last_term(x, y):
    """Off by one: the inner loop stops at k - 1."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    return _loops(x, y, n, y.shape[1], k - 1)


@wrong("naive_matrix_dot")
def naive_matrix_dot_int_result(x, y):
    """Builds the result in an int array: every product is truncated to an int."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros((n, y.shape[1]), dtype=int)
    for i in range(n):
        for j in range(y.shape[1]):
            for t in range(k):
                out[i, j] += int(x[i, t] * y[t, j])
    return out


@right("naive_matrix_dot")
def naive_matrix_dot_row_dot_column(x, y):
    """Two loops, each entry a NumPy dot product of a row and a column."""
    if x.shape[1] != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros((x.shape[0], y.shape[1]))
    for i in range(x.shape[0]):
        for j in range(y.shape[1]):
            out[i, j] = np.dot(x[i, :], y[:, j])
    return out


@right("naive_matrix_dot")
def naive_matrix_dot_comprehension(x, y):
    """Nested comprehension with a Python sum per entry."""
    n, k = x.shape
    k2, m = y.shape
    if k != k2:
        raise ValueError("inner sizes differ")
    return np.array([[sum(x[i, t] * y[t, j] for t in range(k)) for j in range(m)] for i in range(n)])
