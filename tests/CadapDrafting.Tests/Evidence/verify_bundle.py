#!/usr/bin/env python3
"""An independent verifier of CadapDrafting evidence bundles (format 2), written from docs/evidence.md alone.

Standard library only. Usage:
  verify_bundle.py BUNDLE.zip [--server-key BASE64_SPKI]... [--held SIZE:ROOT]...
  verify_bundle.py --vectors docs/evidence-vectors.json
Prints "OK <count> <root>" and exits 0, or "FAILED <position or -> <reason>" and exits 1.
"""
import hashlib, json, re, sys, zipfile, base64, datetime

# --- canonical form 2 -------------------------------------------------------------------------------------------

class Num(str):
    """A JSON number kept as its literal, so its exact value survives parsing."""

def no_repeats(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("repeated key")
    return dict(pairs)

def parse(text):
    def refuse(name):
        raise ValueError("not JSON: " + name)
    return json.loads(text, object_pairs_hook=no_repeats, parse_float=Num, parse_int=Num, parse_constant=refuse)

NUMBER = re.compile(r"^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$")

def canonical_number(literal):
    m = NUMBER.match(literal)
    if not m:
        raise ValueError("not a number: " + literal)
    sign, whole, frac, exp = m.group(1), m.group(2), m.group(3) or "", int(m.group(4) or "0")
    if abs(exp) > 100000:
        raise ValueError("number out of range")
    digits, scale = (whole + frac).lstrip("0"), exp - len(frac)
    if not digits:
        return "0"
    stripped = digits.rstrip("0")
    scale += len(digits) - len(stripped)
    digits = stripped
    length = len(digits) + scale if scale >= 0 else max(len(digits), -scale + 1) + 1
    if length > 1000:
        raise ValueError("number too long")
    if scale >= 0:
        body = digits + "0" * scale
    else:
        point = len(digits) + scale
        body = digits[:point] + "." + digits[point:] if point > 0 else "0." + "0" * (-point) + digits
    return sign + body

ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}

def canonical_string(s):
    out = []
    for c in s:
        if c in ESCAPES:
            out.append(ESCAPES[c])
        elif ord(c) < 0x20:
            out.append("\\u%04x" % ord(c))
        elif 0xD800 <= ord(c) <= 0xDFFF:
            raise ValueError("unpaired surrogate")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'

def canonical(v):
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(canonical_string(k) + ":" + canonical(v[k]) for k in keys) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, Num):
        return canonical_number(v)
    if isinstance(v, str):
        return canonical_string(v)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    raise ValueError("no canonical form")

# --- RFC 9162 -----------------------------------------------------------------------------------------------------

def sha256(b):
    return hashlib.sha256(b).digest()

def leaf_hash(b):
    return sha256(b"\x00" + b)

def node_hash(l, r):
    return sha256(b"\x01" + l + r)

def root(leaves):
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(root(leaves[:k]), root(leaves[k:]))

def verify_inclusion(index, size, leaf, path, expected):
    """RFC 9162 2.1.3.2: does the path prove the leaf hash at index is in the tree of size with root expected?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected

def verify_consistency(first, first_root, second, second_root, proof):
    """RFC 9162 2.1.4.2: does the proof show the tree of size second (second_root) extends the tree of size first (first_root)?"""
    if first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root] + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0

# --- ECDSA P-256 with SHA-256 (verification only) ---------------------------------------------------------------

P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff
A = P - 3
B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b
N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
G = (0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296,
     0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5)
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")

def point_add(p, q):
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        lam = (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P) % P
    else:
        lam = (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (lam * lam - p[0] - q[0]) % P
    return (x, (lam * (p[0] - x) - p[1]) % P)

def point_mul(k, p):
    result = None
    while k:
        if k & 1:
            result = point_add(result, p)
        p = point_add(p, p)
        k >>= 1
    return result

def ecdsa_verify(spki, message, signature):
    if len(spki) != 91 or spki[:26] != SPKI_PREFIX or spki[26] != 4 or len(signature) != 64:
        return False
    q = (int.from_bytes(spki[27:59], "big"), int.from_bytes(spki[59:91], "big"))
    if (q[1] * q[1] - (q[0] ** 3 + A * q[0] + B)) % P != 0:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (0 < r < N and 0 < s < N):
        return False
    e = int.from_bytes(sha256(message), "big")
    w = pow(s, -1, N)
    x = point_add(point_mul(e * w % N, G), point_mul(r * w % N, q))
    return x is not None and x[0] % N == r

# --- heads --------------------------------------------------------------------------------------------------------

def strict(obj, what, required, optional=()):
    if not isinstance(obj, dict):
        raise ValueError(what + " is not an object")
    for k in obj:
        if k not in required and k not in optional:
            raise ValueError(what + " has a field outside its format: " + k)
    for k in required:
        if k not in obj:
            raise ValueError(what + " lacks " + k)
    return obj

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")

def head_canonical(head):
    strict(head, "a head", ["draftId", "root", "size", "time"])
    if not TIME.match(head["time"]) or not re.match(r"^[0-9a-f]{64}$", head["root"]) or not re.match(r"^\d+$", head["size"]):
        raise ValueError("a head is malformed")
    return canonical(head)

def head_message(head):
    return ("cadap-tree-head/1\n" + head_canonical(head)).encode("utf-8")

def cosignature_message(head, witness, time):
    return ("cadap-cosignature/1\n" + canonical({"head": head, "time": time, "witness": witness})).encode("utf-8")

# --- the bundle ---------------------------------------------------------------------------------------------------

def verify(path, server_keys, held):
    with zipfile.ZipFile(path) as z:
        names = [i.filename for i in z.infolist()]
        known = {"events.jsonl", "hashes.txt", "heads.jsonl", "keys.json", "manifest.json"}
        if len(names) != len(set(names)):
            return None, "two entries of one name"
        if set(names) != known:
            return None, "the entries are not exactly " + ", ".join(sorted(known))
        read = lambda n: z.read(n).decode("utf-8", errors="strict")
        manifest = strict(parse(read("manifest.json")), "manifest.json",
                          ["formatVersion", "draftId", "count", "root", "headHash", "exportedAt", "hashAlgorithm", "canonicalForm", "log"])
        if manifest["formatVersion"] != "2" or manifest["canonicalForm"] != "cadap-canonical/2" or manifest["log"] != "rfc9162-sha256":
            return None, "not format 2"
        draft = manifest["draftId"]
        keys = {}
        for k in strict(parse(read("keys.json")), "keys.json", ["keys"])["keys"]:
            strict(k, "a key", ["keyId", "publicKey", "role", "name"])
            spki = base64.b64decode(k["publicKey"], validate=True)
            if hashlib.sha256(spki).hexdigest() != k["keyId"] or k["keyId"] in keys:
                return None, "a key id is wrong or repeated"
            keys[k["keyId"]] = (spki, k["role"], k["name"])
        heads, witnessed = [], 0
        for line in read("heads.jsonl").splitlines():
            signed = strict(parse(line), "a signed head", ["head", "keyId", "signature"], ["timestamp", "cosignatures"])
            head = signed["head"]
            key = keys.get(signed["keyId"])
            if head_canonical(head) and head["draftId"] != draft:
                return None, "a head of another draft"
            if key is None or key[1] != "server" or (server_keys and key[0] not in server_keys):
                return None, "a head signed with a key that is not the server's"
            if not ecdsa_verify(key[0], head_message(head), base64.b64decode(signed["signature"], validate=True)):
                return None, "the signature of the head at size %s does not hold" % head["size"]
            for c in signed.get("cosignatures", []):
                strict(c, "a cosignature", ["keyId", "signature", "time", "witness"])
                wk = keys.get(c["keyId"])
                if wk is None or wk[1] != "witness" or wk[2] != c["witness"] or not ecdsa_verify(
                        wk[0], cosignature_message(head, c["witness"], c["time"]), base64.b64decode(c["signature"], validate=True)):
                    return None, "a cosignature does not hold"
                witnessed = max(witnessed, int(head["size"]))
            heads.append((int(head["size"]), head["root"], "signed"))
        heads += [(size, r, "held") for size, r in held]
        leaves = []
        for number, line in enumerate(read("events.jsonl").splitlines(), start=1):
            event = strict(parse(line), "an event line", ["streamId", "position", "type", "data", "headers"])
            if event["position"] != str(number) or event["streamId"] != draft:
                return number, "an event out of place"
            leaves.append(leaf_hash(canonical(event).encode("utf-8")))
        if str(len(leaves)) != manifest["count"]:
            return None, "the manifest's count is not the number of events"
        good = 0
        for size, r, kind in sorted(heads):
            if size > len(leaves):
                return len(leaves) + 1, "a %s head at size %d covers events the bundle lacks" % (kind, size)
            if root(leaves[:size]).hex() != r:
                return good + 1, "positions %d-%d do not match the %s head at size %d" % (good + 1, size, kind, size)
            good = size
        if root(leaves).hex() != manifest["root"]:
            return None, "the manifest's root is not the root of the events"
        return len(leaves), root(leaves).hex(), witnessed

def check_vectors(path):
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)
    for case in vectors["canonical"]:
        assert canonical(parse(case["json"])) == case["canonical"], case
    for case in vectors["numbers"]:
        assert canonical_number(case["literal"]) == case["canonical"], case
    leaves = [leaf_hash(bytes.fromhex(l)) for l in vectors["merkle"]["leaves"]]
    for n, r in enumerate(vectors["merkle"]["roots"], start=1):
        assert root(leaves[:n]).hex() == r, n
    event = vectors["leaf"]
    assert canonical(parse(event["line"])) == event["canonical"]
    assert leaf_hash(event["canonical"].encode("utf-8")).hex() == event["leafHash"]
    signed = vectors["signedHead"]
    assert head_message(parse(signed["head"])).decode("utf-8") == signed["message"]
    assert ecdsa_verify(base64.b64decode(signed["publicKey"]), signed["message"].encode("utf-8"), base64.b64decode(signed["signature"]))
    assert not ecdsa_verify(base64.b64decode(signed["publicKey"]), signed["message"].encode("utf-8") + b" ", base64.b64decode(signed["signature"]))
    cosigned = vectors["cosignature"]
    message = cosignature_message(parse(cosigned["head"]), cosigned["witness"], cosigned["time"])
    assert message.decode("utf-8") == cosigned["message"]
    witness = base64.b64decode(cosigned["publicKey"])
    assert hashlib.sha256(witness).hexdigest() == cosigned["keyId"]
    assert ecdsa_verify(witness, message, base64.b64decode(cosigned["signature"]))
    assert not ecdsa_verify(witness, head_message(parse(cosigned["head"])), base64.b64decode(cosigned["signature"]))
    inclusion = vectors["inclusion"]
    path = [bytes.fromhex(h) for h in inclusion["path"]]
    index, size = inclusion["leafIndex"], inclusion["treeSize"]
    assert leaves[index].hex() == inclusion["leafHash"] and root(leaves[:size]).hex() == inclusion["root"]
    assert verify_inclusion(index, size, leaves[index], path, bytes.fromhex(inclusion["root"]))
    assert not verify_inclusion(index + 1, size, leaves[index], path, bytes.fromhex(inclusion["root"]))
    consistency = vectors["consistency"]
    proof = [bytes.fromhex(h) for h in consistency["proof"]]
    first, second = consistency["firstSize"], consistency["secondSize"]
    first_root, second_root = bytes.fromhex(consistency["firstRoot"]), bytes.fromhex(consistency["secondRoot"])
    assert root(leaves[:first]) == first_root and root(leaves[:second]) == second_root
    assert verify_consistency(first, first_root, second, second_root, proof)
    assert not verify_consistency(first, root(leaves[:first + 1]), second, second_root, proof)
    return "vectors hold"

def main(argv):
    if len(argv) == 2 and argv[0] == "--vectors":
        print(check_vectors(argv[1]))
        return 0
    path, server_keys, held, i = None, [], [], 0
    while i < len(argv):
        if argv[i] == "--server-key":
            server_keys.append(base64.b64decode(argv[i + 1])); i += 2
        elif argv[i] == "--held":
            size, r = argv[i + 1].split(":"); held.append((int(size), r)); i += 2
        else:
            path = argv[i]; i += 1
    try:
        position, outcome, *rest = verify(path, server_keys, held)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, zipfile.BadZipFile, base64.binascii.Error) as e:
        position, outcome = None, "cannot be read: %s" % e
    if position is not None and re.match(r"^[0-9a-f]{64}$", str(outcome)):
        print("OK %d %s" % (position, outcome))
        # Section 5.1: tokens are not checked here, so times stay the server's word.
        print("not proven: the times of events and heads are the server's word (this verifier does not check timestamp tokens)",
              file=sys.stderr)
        # Section 7, step 5: the positions no witness has seen (held SIZE:ROOT heads are the auditor's, not a witness's).
        witnessed = rest[0]
        if witnessed < position:
            print("not proven: positions %d-%d: no witness has seen a head covering them; a rewrite or cut of them cannot be told "
                  "from this bundle alone" % (witnessed + 1, position), file=sys.stderr)
        return 0
    print("FAILED %s %s" % ("-" if position is None else position, outcome))
    return 1

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
