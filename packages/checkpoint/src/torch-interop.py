# Writes the PyTorch files torch-interop.test.ts reads, with torch.save itself, and describes
# what torch.load gives back for each tensor (shape, dtype, every value exactly) in
# <out>/expected.json. Usage: python3 torch-interop.py <out-dir>
import json
import os
import struct
import sys
import zipfile

import torch

out = sys.argv[1]
torch.manual_seed(0)


def path(name):
    return os.path.join(out, name)


def exact_values(t):
    """Every value as text: float32 bit patterns for floating types (exact), integers as such."""
    flat = t.contiguous().flatten()
    if flat.is_floating_point():
        return [str(v) for v in flat.float().view(torch.int32).tolist()]
    return [str(int(v)) for v in flat.tolist()]


def describe(file):
    sd = torch.load(file, map_location="cpu")
    return [[k, list(v.shape), str(v.dtype), exact_values(v)] for k, v in sd.items()]


def layout(sd):
    """How each saved tensor sits in its storage: proof that the file exercises what we test."""
    first = {}
    for k, v in sd.items():
        first.setdefault(v.storage().data_ptr(), k)
    return {
        k: {"offset": v.storage_offset(), "stride": list(v.stride()), "contiguous": v.is_contiguous(), "storage_of": first[v.storage().data_ptr()]}
        for k, v in sd.items()
    }


# Views: strides, storage offsets, expands, scalars and empty slices, several on one storage.
x = torch.randn(3, 4)
y = torch.randn(2, 3, 4)
views = {
    "transposed": x.t(),
    "step_slice": x[:, ::2],
    "offset_block": x[1:, 1:3],
    "row": x[2],
    "scalar": x[1, 2],
    "empty": x[:, 0:0],
    "permuted": y.permute(2, 0, 1),
    "strided_3d": y[:, ::2, 1::2],
    "expanded": torch.randn(3).expand(2, 3),
}
torch.save(views, path("views.pt"))

# Element types, each also as a transposed view at an offset (dtype and layout together).
F16 = [65504.0, -0.0, 2.0**-24, float("inf"), float("nan"), 1 / 3, -1.5e-5]
I64 = [-(2**63), 2**63 - 1, 2**53 + 1, -(2**53) - 1, -1, 0, 123456789012]
dtypes = {
    "f16": torch.tensor(F16, dtype=torch.float16),
    "bf16": torch.tensor([3.0e38, -0.0, 1e-40, float("-inf"), float("nan"), 1 / 3, 7.0], dtype=torch.bfloat16),
    "f64": torch.tensor([1e300, 1 / 3, 1e-40, -2.5, 0.1, 1e-320, -1e300], dtype=torch.float64),
    "f32": torch.tensor([3.4e38, -0.0, 1e-45, 1 / 3, -2.5, 0.1, 7.0], dtype=torch.float32),
    "i64": torch.tensor(I64, dtype=torch.int64),
    "i32": torch.tensor([-(2**31), 2**31 - 1, -1, 0, 7, 8, 9], dtype=torch.int32),
    "i16": torch.tensor([-32768, 32767, -1, 0, 7, 8, 9], dtype=torch.int16),
    "i8": torch.tensor([-128, 127, -1, 0, 7, 8, 9], dtype=torch.int8),
    "u8": torch.tensor([0, 255, 1, 128, 7, 8, 9], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True, True, False, False, True]),
}
for name in list(dtypes):
    grid = torch.arange(1, 13, dtype=torch.float64).to(dtypes[name].dtype) if name != "bool" else torch.arange(12) % 3 == 0
    base = torch.cat([dtypes[name], grid.flatten()])
    dtypes[name + "_view"] = base[7:].view(3, 4).t()  # offset 7, stride [1, 4]
torch.save(dtypes, path("dtypes.pt"))

# Shared storages: tied weights (one tensor under two names) and two slices of one buffer.
w = torch.randn(5, 4)
buf = torch.randn(10)
shared = {"embed.weight": w, "lm_head.weight": w, "first": buf[:4], "rest": buf[4:].view(2, 3)}
torch.save(shared, path("shared.pt"))

# A real module's state dict: Parameters, an int64 buffer, and the OrderedDict's _metadata.
module = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LayerNorm(3))
module.register_buffer("position_ids", torch.arange(6).view(1, -1))
torch.save(module.state_dict(), path("module.pt"))

# zip64 by torch's own writer: more than 65535 entries get a zip64 end-of-central-directory record.
MANY = 65535
torch.save({f"t{i}": torch.tensor([i, -i], dtype=torch.int32) for i in range(MANY)}, path("many.pt"))


def rezip_zip64(src, dst):
    """Copies a torch zip with Python's zipfile, every size and offset in zip64 fields.

    A real zip64 file is over 4 GiB; zipfile decides per field against ZIP64_LIMIT, so lowering it
    writes the records a > 4 GiB file has: zip64 extras in local headers (sizes) and in the central
    directory (sizes, local header offsets), the zip64 end record and its locator."""
    limit = zipfile.ZIP64_LIMIT
    zipfile.ZIP64_LIMIT = 0
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                with zout.open(info.filename, "w", force_zip64=True) as f:
                    f.write(zin.read(info.filename))
    finally:
        zipfile.ZIP64_LIMIT = limit


rezip_zip64(path("views.pt"), path("views-zip64.pt"))
rezip_zip64(path("dtypes.pt"), path("dtypes-zip64.pt"))

# The pre-1.6 format (a bare pickle stream), which glmjs refuses with a hint.
torch.save({"w": torch.ones(2)}, path("legacy.pt"), _use_new_zipfile_serialization=False)


def extra_ids(extra):
    ids, p = set(), 0
    while p + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, p)
        ids.add(kind)
        p += 4 + size
    return ids


def zip64_records(file):
    """Which zip64 structures a file holds, counted from its raw records."""
    data = open(file, "rb").read()
    eocd = data.rfind(struct.pack("<I", 0x06054B50))
    count, _, cd_offset = struct.unpack_from("<HII", data, eocd + 10)
    end64 = data.rfind(struct.pack("<I", 0x06064B50))
    if end64 >= 0:
        count, _, cd_offset = struct.unpack_from("<QQQ", data, end64 + 32)
    central = local = saturated = 0
    at = cd_offset
    offsets = {i.filename: i.header_offset for i in zipfile.ZipFile(file).infolist()}
    for _ in range(count):
        size_c, size_u, name_len, extra_len, comment_len = struct.unpack_from("<IIHHH", data, at + 20)
        name = data[at + 46 : at + 46 + name_len].decode()
        if 1 in extra_ids(data[at + 46 + name_len : at + 46 + name_len + extra_len]):
            central += 1
        if 0xFFFFFFFF in (size_c, size_u, struct.unpack_from("<I", data, at + 42)[0]):
            saturated += 1
        lh = offsets[name]
        l_name, l_extra = struct.unpack_from("<HH", data, lh + 26)
        if 1 in extra_ids(data[lh + 30 + l_name : lh + 30 + l_name + l_extra]):
            local += 1
        at += 46 + name_len + extra_len + comment_len
    return {
        "entries": count,
        "end_record": end64 >= 0,
        "locator": data.rfind(struct.pack("<I", 0x07064B50)) >= 0,
        "eocd_count_saturated": struct.unpack_from("<H", data, eocd + 10)[0] == 0xFFFF,
        "central_zip64_extras": central,
        "central_saturated_fields": saturated,
        "local_zip64_extras": local,
    }


expected = {
    name: describe(path(name))
    for name in ["views.pt", "dtypes.pt", "shared.pt", "module.pt", "views-zip64.pt", "dtypes-zip64.pt"]
}
expected["layout"] = {"views.pt": layout(views), "dtypes.pt": layout(dtypes), "shared.pt": layout(shared)}
expected["zip64"] = {name: zip64_records(path(name)) for name in ["many.pt", "views-zip64.pt", "dtypes-zip64.pt"]}
expected["module_metadata"] = hasattr(module.state_dict(), "_metadata")
expected["torch"] = torch.__version__
with open(path("expected.json"), "w") as f:
    json.dump(expected, f)
