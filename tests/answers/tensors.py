"""Answers a learner might write for notebook 01 (tensors): the mistakes, and correct alternatives.

Every `@wrong` answer must be rejected by the hidden tests alone; every `@right` one must pass every
test cell.  A wrong answer's docstring names the mistake.
"""

from collections import namedtuple

import numpy as np

from . import right, wrong

_Description = namedtuple("_Description", "ndim shape dtype_name")


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


@wrong("describe_tensor")
def describe_tensor_dtype_kind(x):
    """Returns the dtype's one-letter kind ('i', 'f', 'u') instead of its name."""
    a = np.asarray(x)
    return a.ndim, a.shape, a.dtype.kind


@wrong("describe_tensor")
def describe_tensor_python_scalar_type(x):
    """Special-cases Python numbers and returns their Python type name ('int', 'float')."""
    if isinstance(x, (bool, int, float, complex)):
        return 0, (), type(x).__name__
    a = np.asarray(x)
    return a.ndim, a.shape, a.dtype.name


@wrong("describe_tensor")
def describe_tensor_squeezes(x):
    """Squeezes the length-1 axes away before describing: a (1, 3) matrix looks like a vector."""
    a = np.squeeze(np.asarray(x))
    return a.ndim, a.shape, a.dtype.name


@wrong("describe_tensor")
def describe_tensor_first_entry_dtype(x):
    """Takes the dtype from the first entry of a list: a list of ints with one float reports an int."""
    a = np.asarray(x)
    if isinstance(x, list) and a.size:
        first = x
        while isinstance(first, list):
            first = first[0]
        return a.ndim, a.shape, np.asarray(first).dtype.name
    return a.ndim, a.shape, a.dtype.name


@wrong("describe_tensor")
def describe_tensor_min_scalar_type(x):
    """Uses np.min_scalar_type: the smallest dtype that could hold the values, not the array's dtype."""
    a = np.asarray(x)
    return a.ndim, a.shape, np.min_scalar_type(a).name


@right("describe_tensor")
def describe_tensor_named_tuple(x):
    """Returns a namedtuple (a tuple) with the three fields."""
    a = np.asarray(x)
    return _Description(a.ndim, a.shape, a.dtype.name)


@right("describe_tensor")
def describe_tensor_asanyarray_ints(x):
    """np.asanyarray, with int() and tuple() made explicit."""
    a = np.asanyarray(x)
    return int(a.ndim), tuple(a.shape), str(a.dtype.name)


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


@wrong("flatten_images")
def flatten_images_order_a(images):
    """reshape(..., order='A'): reads Fortran-ordered input column by column instead of row-major."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h, w = images.shape
    return images.reshape(n, h * w, order="A")


@wrong("flatten_images")
def flatten_images_memory_order(images):
    """ravel(order='K'): takes the pixels in memory order, which is row-major only for C-ordered input."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h, w = images.shape
    return images.ravel(order="K").reshape(n, h * w)


@wrong("flatten_images")
def flatten_images_rejects_too_few_axes(images):
    """Refuses fewer than 3 axes only: a 4-D batch with a channel axis is flattened silently."""
    if images.ndim < 3:
        raise ValueError("expected (N, H, W)")
    return images.reshape(len(images), -1)


@wrong("flatten_images")
def flatten_images_type_error(images):
    """Refuses a wrong rank with TypeError instead of ValueError."""
    if images.ndim != 3:
        raise TypeError("expected (N, H, W)")
    n, h, w = images.shape
    return images.reshape(n, h * w)


@wrong("flatten_images")
def flatten_images_squeezes_first(images):
    """Squeezes length-1 axes first: a batch of one image, or 1-row images, are refused as 2-D."""
    images = np.squeeze(images)
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h, w = images.shape
    return images.reshape(n, h * w)


@wrong("flatten_images")
def flatten_images_loop_index_uses_height(images):
    """Loops over the pixels but puts pixel (r, c) at r*h + c instead of r*w + c."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h, w = images.shape
    out = np.zeros((n, h * w), dtype=images.dtype)
    for k in range(n):
        for r in range(h):
            for c in range(w):
                if r * h + c < h * w:
                    out[k, r * h + c] = images[k, r, c]
    return out


@wrong("flatten_images")
def flatten_images_uint8_only(images):
    """Refuses anything but uint8 images; the contract accepts any dtype."""
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError("expected uint8 images of shape (N, H, W)")
    n, h, w = images.shape
    return images.reshape(n, h * w)


@wrong("flatten_images")
def flatten_images_assumes_square(images):
    """Assumes square images: uses H*H for the row length."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h = images.shape[:2]
    return images.reshape(n, h * h)


@right("flatten_images")
def flatten_images_loops(images):
    """Copies every pixel (k, r, c) to (k, r*w + c) with explicit loops."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    n, h, w = images.shape
    out = np.empty((n, h * w), dtype=images.dtype)
    for k in range(n):
        for r in range(h):
            for c in range(w):
                out[k, r * w + c] = images[k, r, c]
    return out


@right("flatten_images")
def flatten_images_hstack_rows(images):
    """Lays each image's rows end to end with np.hstack (a contiguous copy)."""
    if len(np.shape(images)) != 3:
        raise ValueError("expected (N, H, W)")
    return np.ascontiguousarray(np.array([np.hstack(list(image)) for image in images]))


@right("flatten_images")
def flatten_images_as_float(images):
    """Row-major reshape, returned as float64: the dtype is not part of the contract, the values are kept."""
    if images.ndim != 3:
        raise ValueError("expected (N, H, W)")
    return images.reshape(images.shape[0], -1).astype(np.float64)


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


@wrong("scale_pixels")
def scale_pixels_rounded(images):
    """Rounds the scaled values to two decimals."""
    return np.round(images.astype(np.float32) / 255, 2)


@wrong("scale_pixels")
def scale_pixels_approx_reciprocal(images):
    """Multiplies by 0.0039, a rounded 1/255: every value is off by half a percent."""
    return images.astype(np.float32) * np.float32(0.0039)


@wrong("scale_pixels")
def scale_pixels_inverted(images):
    """Inverts the scale (1 - pixel/255), as if 0 were ink and 255 background."""
    return 1 - images.astype(np.float32) / 255


@wrong("scale_pixels")
def scale_pixels_float32_of_integer_division(images):
    """Casts to float32 after an integer division: only 255 survives as 1, everything else is 0."""
    return (images // 255).astype(np.float32)


@wrong("scale_pixels")
def scale_pixels_view_not_astype(images):
    """Uses .view(np.float32), which reinterprets the bytes (and the shape), instead of .astype."""
    return np.ascontiguousarray(images).view(np.float32) / 255


@wrong("scale_pixels")
def scale_pixels_list_result(images):
    """Returns the scaled pixels as nested Python lists (tolist)."""
    return (images.astype(np.float32) / 255).tolist()


@right("scale_pixels")
def scale_pixels_float_literal(images):
    """Divides float32 pixels by 255.0: a Python float keeps float32."""
    return images.astype(np.float32) / 255.0


@right("scale_pixels")
def scale_pixels_iinfo_max(images):
    """Divides by np.iinfo(np.uint8).max, in place on a float32 copy."""
    out = np.array(images, dtype=np.float32)
    out /= np.iinfo(np.uint8).max
    return out


@right("scale_pixels")
def scale_pixels_refuses_other_dtypes(images):
    """The notebook's choice: TypeError for anything but uint8, then a float32 reciprocal multiply."""
    if np.asarray(images).dtype != np.uint8:
        raise TypeError("expected uint8 pixels")
    return np.multiply(images, np.float32(1 / 255), dtype=np.float32)


@wrong("scale_pixels")
def scale_pixels_float16_intermediate(images):
    """Divides in float16 to save memory, then casts to float32: the float16 rounding stays."""
    return (images.astype(np.float16) / 255).astype(np.float32)


# ---------------------------------------------------------------- get_batch
@wrong("get_batch")
def get_batch_one_row_too_many(x, batch_index, batch_size):
    """Off by one: the batch ends one row late."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= len(x):
        raise IndexError("no such batch")
    return x[start : start + batch_size + 1]


@wrong("get_batch")
def get_batch_starts_one_late(x, batch_index, batch_size):
    """Off by one: the batch starts one row late."""
    start = batch_index * batch_size + 1
    if batch_index < 0 or batch_size < 1 or start > len(x):
        raise IndexError("no such batch")
    return x[start : start + batch_size]


@wrong("get_batch")
def get_batch_counts_from_one(x, batch_index, batch_size):
    """Numbers batches from 1: batch 1 is the first."""
    if batch_index < 1 or batch_size < 1 or (batch_index - 1) * batch_size >= len(x):
        raise IndexError("no such batch")
    return x[(batch_index - 1) * batch_size : batch_index * batch_size]


@wrong("get_batch")
def get_batch_never_raises(x, batch_index, batch_size):
    """Never raises: empty batches and negative indices come back as slices."""
    return x[batch_index * batch_size : (batch_index + 1) * batch_size]


@wrong("get_batch")
def get_batch_only_empty_raises(x, batch_index, batch_size):
    """Raises only for an empty result: a negative index that finds rows is accepted."""
    batch = x[batch_index * batch_size : (batch_index + 1) * batch_size]
    if len(batch) == 0:
        raise IndexError("empty batch")
    return batch


@wrong("get_batch")
def get_batch_boundary_off_by_one(x, batch_index, batch_size):
    """Checks start > len(x) instead of >=: a batch starting at the very end comes back empty."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start > len(x):
        raise IndexError("no such batch")
    return x[start : start + batch_size]


@wrong("get_batch")
def get_batch_index_as_row(x, batch_index, batch_size):
    """Uses batch_index as the first row rather than the batch number."""
    if batch_index < 0 or batch_size < 1 or batch_index >= len(x):
        raise IndexError("no such batch")
    return x[batch_index : batch_index + batch_size]


@wrong("get_batch")
def get_batch_refuses_short_last_batch(x, batch_index, batch_size):
    """Raises for the last, shorter batch."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start + batch_size > len(x):
        raise IndexError("no such batch")
    return x[start : start + batch_size]


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
    return x[start : start + batch_size]


@wrong("get_batch")
def get_batch_last_axis(x, batch_index, batch_size):
    """Slices the last axis instead of axis 0."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= x.shape[-1]:
        raise IndexError("no such batch")
    return x[..., start : start + batch_size]


@wrong("get_batch")
def get_batch_accepts_size_zero(x, batch_index, batch_size):
    """Checks the start only: a batch size of 0 returns an empty batch."""
    start = batch_index * batch_size
    if batch_index < 0 or start >= len(x):
        raise IndexError("no such batch")
    return x[start : start + batch_size]


@wrong("get_batch")
def get_batch_check_result(x, batch_index, batch_size):
    """Slices first, then raises IndexError when the result is empty or the index negative: a negative
    batch size is not refused (batch 0 of size -1 is x[0:-1], every row but the last)."""
    if batch_index < 0:
        raise IndexError("batch_index must not be negative")
    batch = x[batch_index * batch_size : (batch_index + 1) * batch_size]
    if len(batch) == 0:
        raise IndexError("empty batch")
    return batch


@wrong("get_batch")
def get_batch_refuses_size_zero_only(x, batch_index, batch_size):
    """Refuses a batch size of exactly 0: a negative one slices from the end of the data."""
    if batch_size == 0:
        raise ValueError("batch_size must not be 0")
    start = batch_index * batch_size
    if batch_index < 0 or start >= len(x):
        raise IndexError("no such batch")
    return x[start : start + batch_size]


@right("get_batch")
def get_batch_row_indices(x, batch_index, batch_size):
    """Builds the row indices with np.arange and takes them (a copy, not a view)."""
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    if batch_index < 0 or batch_index * batch_size >= len(x):
        raise IndexError("no such batch")
    stop = min((batch_index + 1) * batch_size, len(x))
    return np.take(x, np.arange(batch_index * batch_size, stop), axis=0)


@wrong("get_batch")
def get_batch_size_not_len(x, batch_index, batch_size):
    """Bounds the batch by x.size (every entry) instead of len(x) (the rows)."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= x.size:
        raise IndexError("no such batch")
    return x[start : start + batch_size]


@wrong("get_batch")
def get_batch_floor_plus_one(x, batch_index, batch_size):
    """Counts len(x) // batch_size + 1 batches: one too many when batch_size divides len(x)."""
    if batch_index < 0 or batch_size < 1 or batch_index >= len(x) // batch_size + 1:
        raise IndexError("no such batch")
    return x[batch_index * batch_size : (batch_index + 1) * batch_size]


@wrong("get_batch")
def get_batch_one_row_too_few(x, batch_index, batch_size):
    """Off by one: stops at (batch_index + 1) * batch_size - 1, as if the stop were included."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= len(x):
        raise IndexError("no such batch")
    return x[start : (batch_index + 1) * batch_size - 1]


@wrong("get_batch")
def get_batch_drops_last_row(x, batch_index, batch_size):
    """Caps the stop at len(x) - 1: the last row of the data is never in any batch."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= len(x):
        raise IndexError("no such batch")
    return x[start : min(start + batch_size, len(x) - 1)]


@wrong("get_batch")
def get_batch_wraps_around(x, batch_index, batch_size):
    """Wraps the batch index around the number of batches, as if epochs followed each other."""
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    n_batches = -(-len(x) // batch_size)
    batch_index %= n_batches
    return x[batch_index * batch_size : (batch_index + 1) * batch_size]


@wrong("get_batch")
def get_batch_negative_value_error(x, batch_index, batch_size):
    """Refuses a negative batch index with ValueError instead of IndexError."""
    if batch_index < 0 or batch_size < 1:
        raise ValueError("batch_index and batch_size must not be negative")
    start = batch_index * batch_size
    if start >= len(x):
        raise IndexError("no such batch")
    return x[start : start + batch_size]


@wrong("get_batch")
def get_batch_list_result(x, batch_index, batch_size):
    """Returns the batch as a Python list of rows."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or start >= len(x):
        raise IndexError("no such batch")
    return list(x[start : start + batch_size])


@wrong("get_batch")
def get_batch_zero_always_exists(x, batch_index, batch_size):
    """Treats batch 0 as always there: an empty dataset gives an empty batch 0."""
    start = batch_index * batch_size
    if batch_index < 0 or batch_size < 1 or (batch_index > 0 and start >= len(x)):
        raise IndexError("no such batch")
    return x[start : start + batch_size]


@right("get_batch")
def get_batch_ceil_count(x, batch_index, batch_size):
    """Counts the batches with math.ceil; IndexError for every bad argument, a copy of the rows."""
    import math

    if batch_size < 1 or batch_index < 0 or batch_index >= math.ceil(x.shape[0] / batch_size):
        raise IndexError(f"no batch {batch_index} of size {batch_size}")
    start = batch_index * batch_size
    return x[start : min(start + batch_size, x.shape[0])].copy()


@right("get_batch")
def get_batch_boolean_rows(x, batch_index, batch_size):
    """Selects the rows with a boolean mask over the row numbers."""
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    rows = np.arange(len(x))
    mask = (rows >= batch_index * batch_size) & (rows < (batch_index + 1) * batch_size)
    if batch_index < 0 or not mask.any():
        raise IndexError("no such batch")
    return x[mask]


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


@wrong("naive_relu")
def naive_relu_alias_not_copy(x):
    """`out = x` names the same array: the loops change the input."""
    out = x
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = max(out[i, j], 0)
    return out


@wrong("naive_relu")
def naive_relu_slice_copy(x):
    """`out = x[:]` copies a list but only views an array: the loops change the input."""
    out = x[:]
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if out[i, j] < 0:
                out[i, j] = 0
    return out


@wrong("naive_relu")
def naive_relu_skips_first_row(x):
    """Off by one: the row loop starts at 1."""
    out = x.copy()
    for i in range(1, x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = max(x[i, j], 0)
    return out


@wrong("naive_relu")
def naive_relu_skips_last_column(x):
    """Off by one: the column loop stops at x.shape[1] - 1."""
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1] - 1):
            out[i, j] = max(x[i, j], 0)
    return out


@wrong("naive_relu")
def naive_relu_stores_comparison(x):
    """Stores the test x > 0 (a 0/1 mask) instead of the kept value."""
    out = np.zeros(x.shape)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = x[i, j] > 0
    return out


@wrong("naive_relu")
def naive_relu_transposed(x):
    """Fills the result as out[j, i]: returns the transpose."""
    out = np.zeros((x.shape[1], x.shape[0]), dtype=x.dtype)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[j, i] = max(x[i, j], 0)
    return out


@right("naive_relu")
def naive_relu_len_loops(x):
    """Loops with len(x) and len(x[0]), indexing as x[i][j]."""
    out = x.copy()
    for i in range(len(x)):
        for j in range(len(x[0])):
            if out[i][j] < 0:
                out[i][j] = 0
    return out


@right("naive_relu")
def naive_relu_rows_as_lists(x):
    """Builds each row as a Python list, then makes an array of the rows."""
    rows = []
    for row in x:
        rows.append([value if value > 0 else 0 for value in row])
    return np.array(rows, dtype=x.dtype)


@right("naive_relu")
def naive_relu_ndindex(x):
    """One loop over np.ndindex(x.shape) (works for any rank)."""
    out = np.array(x, copy=True)
    for index in np.ndindex(x.shape):
        out[index] = max(x[index], 0)
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


@wrong("naive_add")
def naive_add_chollet(x, y):
    """The book's version (copy x, add y into it, ValueError instead of assert): an int x plus a float y
    loses y's fractions in the int copy, which the notebook's text rules out ("not as a copy of x")."""
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


@wrong("naive_add")
def naive_add_slice_copy(x, y):
    """`out = x[:]` is a view of an array, not a copy: the loops change x."""
    if x.shape != y.shape:
        raise ValueError("shapes differ")
    out = x[:]
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] += y[i, j]
    return out


@wrong("naive_add")
def naive_add_into_y(x, y):
    """Adds x into y itself and returns y."""
    if x.shape != y.shape:
        raise ValueError("shapes differ")
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            y[i, j] += x[i, j]
    return y


@wrong("naive_add")
def naive_add_checks_columns_only(x, y):
    """Compares the numbers of columns only; a one-row y is broadcast."""
    if x.shape[1] != y.shape[1]:
        raise ValueError("columns differ")
    return x + y


@wrong("naive_add")
def naive_add_checks_ndim(x, y):
    """Compares the ranks, not the shapes: any two matrices pass and broadcast."""
    if x.ndim != y.ndim:
        raise ValueError("ranks differ")
    return x + y


@wrong("naive_add")
def naive_add_type_error(x, y):
    """Refuses different shapes with TypeError instead of ValueError."""
    if x.shape != y.shape:
        raise TypeError("shapes differ")
    out = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] += y[i, j]
    return out


@wrong("naive_add")
def naive_add_nested_list(x, y):
    """Returns nested Python lists instead of an array."""
    if x.shape != y.shape:
        raise ValueError("shapes differ")
    return [[x[i, j] + y[i, j] for j in range(x.shape[1])] for i in range(x.shape[0])]


@wrong("naive_add")
def naive_add_broadcast_check(x, y):
    """Checks with np.broadcast_shapes, which only refuses shapes that cannot broadcast."""
    shape = np.broadcast_shapes(x.shape, y.shape)
    x, y = np.broadcast_to(x, shape), np.broadcast_to(y, shape)
    out = np.empty(shape, dtype=np.result_type(x, y))
    for i in range(shape[0]):
        for j in range(shape[1]):
            out[i, j] = x[i, j] + y[i, j]
    return out


@right("naive_add")
def naive_add_float_zeros(x, y):
    """Fills float64 zeros, compares the sizes axis by axis."""
    if x.shape[0] != y.shape[0] or x.shape[1] != y.shape[1]:
        raise ValueError("shapes differ")
    out = np.zeros(x.shape)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = x[i, j] + y[i, j]
    return out


@right("naive_add")
def naive_add_ndindex(x, y):
    """One loop over np.ndindex, into an array of the dtype x + y would have."""
    if x.shape != y.shape:
        raise ValueError(f"cannot add shapes {x.shape} and {y.shape}")
    out = np.zeros_like(x, dtype=np.result_type(x, y))
    for index in np.ndindex(x.shape):
        out[index] = x[index] + y[index]
    return out


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


@wrong("naive_matrix_dot")
def naive_matrix_dot_checks_outer_sizes(x, y):
    """Compares the outer sizes (rows of x against columns of y) instead of the inner ones."""
    if x.shape[0] != y.shape[1]:
        raise ValueError("sizes differ")
    return _loops(x, y, x.shape[0], y.shape[1], min(x.shape[1], y.shape[0]))


@wrong("naive_matrix_dot")
def naive_matrix_dot_index_error(x, y):
    """Refuses different inner sizes with IndexError instead of ValueError."""
    if x.shape[1] != y.shape[0]:
        raise IndexError("inner sizes differ")
    return _loops(x, y, x.shape[0], y.shape[1], x.shape[1])


@wrong("naive_matrix_dot")
def naive_matrix_dot_assigns_not_adds(x, y):
    """Writes out[i, j] = ... instead of += inside the inner loop: only the last term is kept."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros((n, y.shape[1]))
    for i in range(n):
        for j in range(y.shape[1]):
            for t in range(k):
                out[i, j] = x[i, t] * y[t, j]
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_inner_loop_over_rows(x, y):
    """The inner loop runs over range(len(x)) (n) instead of the inner size k."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros((n, y.shape[1]))
    for i in range(n):
        for j in range(y.shape[1]):
            for t in range(min(n, k)):
                out[i, j] += x[i, t] * y[t, j]
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_zeros_like_x(x, y):
    """Starts from np.zeros_like(x): the result has x's shape (n, k), not (n, m)."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros_like(x, dtype=float)
    for i in range(n):
        for j in range(min(k, y.shape[1])):
            for t in range(k):
                out[i, j] += x[i, t] * y[t, j]
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_nested_list(x, y):
    """Returns nested Python lists instead of an array."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    return [[sum(x[i, t] * y[t, j] for t in range(k)) for j in range(y.shape[1])] for i in range(n)]


@wrong("naive_matrix_dot")
def naive_matrix_dot_square_only(x, y):
    """Requires x and y to have the same shape, so (2, 3) x (3, 4) is refused."""
    if x.shape != y.shape[::-1] and x.shape != y.shape:
        raise ValueError("shapes do not match")
    if x.shape[1] != y.shape[0]:
        raise ValueError("inner sizes differ")
    return _loops(x, y, x.shape[0], y.shape[1], x.shape[1])


@right("naive_matrix_dot")
def naive_matrix_dot_result_type(x, y):
    """Three loops into an array of the dtype x @ y would have; checks len(x[0]) against len(y)."""
    if len(x[0]) != len(y):
        raise ValueError("inner sizes differ")
    out = np.zeros((len(x), len(y[0])), dtype=np.result_type(x, y))
    for i in range(len(x)):
        for j in range(len(y[0])):
            total = 0
            for t in range(len(y)):
                total += x[i][t] * y[t][j]
            out[i][j] = total
    return out


@right("naive_matrix_dot")
def naive_matrix_dot_via_vector_dots(x, y):
    """One loop over the rows, each row times y as a sum of scaled rows of y."""
    n, k = x.shape
    k2, m = y.shape
    if k != k2:
        raise ValueError("inner sizes differ")
    out = np.zeros((n, m))
    for i in range(n):
        for t in range(k):
            out[i] += x[i, t] * y[t]
    return out


@wrong("naive_matrix_dot")
def naive_matrix_dot_dtype_of_x(x, y):
    """Starts from zeros of x's dtype: an int x times a float y cuts every fraction off."""
    n, k = x.shape
    if k != y.shape[0]:
        raise ValueError("inner sizes differ")
    out = np.zeros((n, y.shape[1]), dtype=x.dtype)
    for i in range(n):
        for j in range(y.shape[1]):
            for t in range(k):
                out[i, j] += x[i, t] * y[t, j]
    return out


# ---------------------------------------------------------------- found by an outside review (2026-12-02)


@wrong("describe_tensor")
def describe_tensor_tuple_as_object(x):
    """A tuple kept whole as one object (dtype object), where NumPy reads it as a sequence of ints."""
    array = np.array(x, dtype=object) if isinstance(x, tuple) else np.asarray(x)
    return array.ndim, array.shape, array.dtype.name


@wrong("describe_tensor")
def describe_tensor_ints_forced_to_int64(x):
    """Python ints forced to int64: 2**70 overflows, where NumPy gives it dtype object."""
    is_int = isinstance(x, int) and not isinstance(x, bool)
    array = np.asarray(x, dtype=np.int64) if is_int else np.asarray(x)
    return array.ndim, array.shape, array.dtype.name


@wrong("get_batch")
def get_batch_as_floats(x, batch_index, batch_size):
    """The right rows, but copied into a float64 array: the batch changes the data's dtype."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    start = batch_index * batch_size
    if batch_index < 0 or start >= len(x):
        raise IndexError("no such batch")
    return np.array(x[start : start + batch_size], dtype=float)


@wrong("get_batch")
def get_batch_sorted(x, batch_index, batch_size):
    """The right rows, sorted: order inside the batch lost (invisible on data that is already sorted)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    start = batch_index * batch_size
    if batch_index < 0 or start >= len(x):
        raise IndexError("no such batch")
    return np.sort(x[start : start + batch_size], axis=0)


@wrong("naive_add")
def naive_add_in_the_dtype_of_x(x, y):
    """np.empty_like(x) for the result: int8 plus int16 sums of 200 are cut to int8."""
    if x.shape != y.shape:
        raise ValueError("shapes differ")
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = x[i, j] + y[i, j]
    return out
