#!/usr/bin/python3
"""Reference CLIP BPE tokenisation used to produce the expected ids in expected_ids.json.

How the expected values were produced
-------------------------------------
This script is a stand-alone restatement of OpenAI CLIP's `simple_tokenizer.py` semantics, written
directly from that tokenizer's published behaviour and run with the Python standard library only
(`/usr/bin/python3 clip_reference.py <bpe_simple_vocab_16e6.txt.gz> <output.json>`). It does not
share code or structure with the Java implementation it checks:

* text cleanup = the character-level fixes of ftfy.fix_text's default configuration (everything
  except the heuristic mojibake repair `fix_encoding`), then the standard library's
  `html.unescape` applied twice, `re.sub(r'\\s+', ' ')` + strip, and `str.lower()`;
* pre-tokenisation is a hand-written scanner equivalent to CLIP's pattern
  `<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+`
  (the third-party `regex` module is not available, so letters/numbers come from
  `unicodedata.category` and spaces from `str.isspace`);
* byte-level unicode mapping and BPE follow CLIP's `bytes_to_unicode` / `bpe` definitions, the
  vocabulary is built from the gzip merges file exactly as CLIP builds it.

The Java test reads the JSON written here and asserts that the Java tokenizer produces the same
cleaned words and the same ids. Re-run this script whenever a case is added.

With a third argument the script also writes PhotoMaker ID-prompt cases (used by the worker's
PromptTokenizer test): the list arithmetic of the reference pipeline's
`encode_prompt_with_trigger_word` (trigger word as an added token with id 49408, first tokenisation
padded/truncated to 77, trigger removed, class token repeated, cut/padded to 77, class mask), and the
text-only prompt as the reference builds it (trigger token removed, ids decoded back to text, text
encoded again with truncation and padding).

Usage: /usr/bin/python3 clip_reference.py <merges.txt.gz> <expected_ids.json> [<expected_id_prompts.json>]
"""
import gzip
import html
import html.entities
import json
import re
import sys
import unicodedata

# ---------------------------------------------------------------- ftfy (character-level subset)

_LIGATURES = {
    "\u0132": "IJ", "\u0133": "ij", "\u0149": "\u02bcn", "\u01f1": "DZ", "\u01f2": "Dz",
    "\u01f3": "dz", "\u01c4": "D\u017d", "\u01c5": "D\u017e", "\u01c6": "d\u017e", "\u01c7": "LJ",
    "\u01c8": "Lj", "\u01c9": "lj", "\u01ca": "NJ", "\u01cb": "Nj", "\u01cc": "nj",
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "\u017ft", "\ufb06": "st",
}


def _width_map():
    table = {0x3000: " "}
    for cp in range(0xFF01, 0xFFF0):
        alt = unicodedata.normalize("NFKC", chr(cp))
        if alt != chr(cp):
            table[cp] = alt
    return table


_WIDTH = _width_map()
_CONTROL = {cp: None for cp in list(range(0x00, 0x09)) + [0x0B] + list(range(0x0E, 0x20)) + [0x7F]
            + list(range(0x206A, 0x2070)) + [0xFEFF] + list(range(0xFFF9, 0xFFFD))}


def _strict_entities():
    table = {}
    for name, value in html.entities.html5.items():
        if not name.endswith(";"):
            continue
        table["&" + name] = value
        if name == name.lower():
            upper = "&" + name.upper()
            if html.unescape(upper) == upper:
                table[upper] = value.upper()
    return table


_STRICT = _strict_entities()


def _ftfy_unescape(text):
    def fix(m):
        ref = m.group(0)
        if ref in _STRICT:
            return _STRICT[ref]
        if ref.startswith("&#"):
            out = html.unescape(ref)
            return ref if ";" in out else out
        return ref
    return re.sub(r"&#?[0-9A-Za-z]{1,24};", fix, text)


def _c1(text):
    out = []
    for ch in text:
        if 0x80 <= ord(ch) <= 0x9F:
            try:
                out.append(bytes([ord(ch)]).decode("cp1252"))
            except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined stay as they are
                out.append(ch)
        else:
            out.append(ch)
    return "".join(out)


def _surrogates(text):
    if not re.search("[\ud800-\udfff]", text):
        return text
    text = re.sub("[\ud800-\udbff][\udc00-\udfff]",
                  lambda m: chr(0x10000 + (ord(m.group(0)[0]) - 0xD800) * 0x400
                                + (ord(m.group(0)[1]) - 0xDC00)), text)
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def _fix_segment(segment, unescape):
    while True:
        before = segment
        if unescape:
            segment = _ftfy_unescape(segment)
        segment = _c1(segment)
        segment = segment.translate({ord(k): v for k, v in _LIGATURES.items()})
        segment = segment.translate(_WIDTH)
        segment = re.sub("[\u02bc\u2018-\u201b]", "'", re.sub("[\u201c-\u201f]", '"', segment))
        for old in ("\r\n", "\r", "\u2028", "\u2029", "\u0085"):
            segment = segment.replace(old, "\n")
        segment = _surrogates(segment)
        segment = re.sub("\033\\[((?:\\d|;)*)([a-zA-Z])", "", segment)
        segment = segment.translate(_CONTROL)
        segment = unicodedata.normalize("NFC", segment)
        if segment == before:
            return segment


def ftfy_subset(text):
    pieces, pos, unescape = [], 0, True
    while pos < len(text):
        cut = text.find("\n", pos) + 1 or len(text)
        segment = text[pos:cut]
        if "<" in segment:
            unescape = False
        pieces.append(_fix_segment(segment, unescape))
        pos = cut
    return "".join(pieces)


def clean(text):
    text = ftfy_subset(text)
    text = html.unescape(html.unescape(text)).strip()
    return re.sub(r"\s+", " ", text).strip().lower()


# ---------------------------------------------------------------- pre-tokenisation (scanner)

def _letter(ch):
    return unicodedata.category(ch)[0] == "L"


def _number(ch):
    return unicodedata.category(ch)[0] == "N"


def words(text):
    text = clean(text)
    found, i, n = [], 0, len(text)
    while i < n:
        special = next((s for s in ("<|startoftext|>", "<|endoftext|>") if text.startswith(s, i)), None)
        contraction = next((c for c in ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")
                            if text[i:i + len(c)].lower() == c), None)
        if special or contraction:
            piece = special or contraction
            found.append(text[i:i + len(piece)])
            i += len(piece)
        elif _letter(text[i]):
            j = i
            while j < n and _letter(text[j]):
                j += 1
            found.append(text[i:j])
            i = j
        elif _number(text[i]):
            found.append(text[i])
            i += 1
        elif not text[i].isspace():
            j = i
            while j < n and not (text[j].isspace() or _letter(text[j]) or _number(text[j])):
                j += 1
            found.append(text[i:j])
            i = j
        else:
            i += 1
    return found


# ---------------------------------------------------------------- byte level + BPE

def byte_chars():
    printable = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    chars = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in chars:
            chars[b] = chr(256 + extra)
            extra += 1
    return dict(sorted(chars.items(), key=lambda kv: (kv[0] not in printable, printable.index(kv[0])
                                                      if kv[0] in printable else kv[0])))


def load(path):
    lines = gzip.open(path).read().decode("utf-8").split("\n")
    merges = [tuple(line.split()) for line in lines[1:49152 - 256 - 2 + 1]]
    chars = byte_chars()
    vocab = list(chars.values())
    vocab += [c + "</w>" for c in vocab]
    vocab += ["".join(m) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    return chars, {tok: i for i, tok in enumerate(vocab)}, {m: r for r, m in enumerate(merges)}


def bpe(word, ranks):
    parts = list(word[:-1]) + [word[-1] + "</w>"]
    while len(parts) > 1:
        best = None
        for k in range(len(parts) - 1):
            r = ranks.get((parts[k], parts[k + 1]))
            if r is not None and (best is None or r < best[0]):
                best = (r, parts[k], parts[k + 1])
        if best is None:
            break
        _, a, b = best
        merged, k = [], 0
        while k < len(parts):
            if k + 1 < len(parts) and parts[k] == a and parts[k + 1] == b:
                merged.append(a + b)
                k += 2
            else:
                merged.append(parts[k])
                k += 1
        parts = merged
    return parts


def encode(text, chars, vocab, ranks):
    ids = []
    for w in words(text):
        if w in ("<|startoftext|>", "<|endoftext|>"):
            ids.append(vocab[w])
            continue
        mapped = "".join(chars[b] for b in w.encode("utf-8"))
        ids.extend(vocab[p] for p in bpe(mapped, ranks))
    return ids


CASES = [
    ("plain_prompt", "a photo of a woman img wearing a spacesuit"),
    ("famous_cat", "a photo of a cat"),
    ("punctuation", "Hello, world! (masterpiece:1.2) -- best quality... [sic]; #tag @user {x}"),
    ("apostrophes", "it's the man's hat"),
    ("contractions", "I'm sure they'll say we'd've done it, don't you? THEY'RE HERE 'sun"),
    ("curly_quotes", "it\u2019s the man\u2019s \u201chat\u201d"),
    ("numbers", "1024 x 768, 35mm"),
    ("whitespace", "  a \t photo\n\nof   a\r\ncat \u00a0 \u2003 in\u3000space  "),
    ("html_entities", "&amp; &lt;3 &#39;"),
    ("html_nested", "fish &amp;amp;amp; chips"),
    ("html_with_markup", "<b>bold</b> &amp;amp; &eacute;"),
    ("html_legacy_refs", "&copy2024 &notit; &#x1F600; &#128512 &#0; &#x80; &#1114112; &#xD800;"),
    ("html_uppercase_entity", "P&EACUTE;REZ &NTILDE; &nTILDE;"),
    ("non_ascii_letters", "caf\u00e9 na\u00efve Z\u00fcrich \u6771\u4eac"),
    ("decomposed_accent", "cafe\u0301 re\u0301sume\u0301"),
    ("emoji", "a cat \U0001F431 wearing a hat \U0001F3A9!! \U0001F469\U0001F3FD\u200d\U0001F680 \u2764\ufe0f"),
    ("fullwidth_and_ligatures", "\uff21\uff22\uff23\u3000\uff44\uff45\uff46 \ufb01ne \ufb02ower"),
    ("control_characters", "red\x1b[31m alert\x1b[0m\x00 bell\x07 tab\x0b end"),
    ("c1_controls", "wait\x85 what \x80 price \x81"),
    ("special_tokens_in_text", "a <|endoftext|> b <|startoftext|>c!<|endoftext|>"),
    ("upper_case", "A PHOTO OF A WOMAN IMG"),
    ("greek_and_cyrillic", "\u03a3\u039f\u03a6\u0399\u0391 \u041c\u043e\u0441\u043a\u0432\u0430"),
    ("lone_surrogate", "x\ud800y"),
    ("empty", ""),
    ("only_whitespace", "  \n\t  "),
    ("over_long", "instagram photo, portrait photo of a woman img, colorful, perfect face, natural skin, "
                  "hard shadows, film grain, " * 4 + "supercalifragilisticexpialidocious antidisestablishmentarianism"),
]


ADDED_TRIGGER_ID = 49408


def padded_window(ids, bos, eos, pad):
    ids = [bos] + ids[:75] + [eos]
    return ids + [pad] * (77 - len(ids))


def reference_id_prompt(prompt, trigger, copies, pad, chars, vocab, ranks):
    ids = []
    for w in words(prompt):
        ids.extend([ADDED_TRIGGER_ID] if w == trigger else encode(w, chars, vocab, ranks))
    window = padded_window(ids, vocab["<|startoftext|>"], vocab["<|endoftext|>"], pad)
    kept, class_positions = [], []
    for token in window:
        if token == ADDED_TRIGGER_ID:
            class_positions.append(len(kept) - 1)
        else:
            kept.append(token)
    (position,) = class_positions
    kept = kept[:position] + [kept[position]] * copies + kept[position + 1:]
    kept = kept[:77] if len(kept) > 77 else kept + [pad] * (77 - len(kept))
    return kept, [position <= i < position + copies for i in range(77)]


def decode(ids, chars, vocab):
    by_id = {i: t for t, i in vocab.items()}
    to_byte = {c: b for b, c in chars.items()}
    text = "".join(by_id[i] for i in ids)
    return bytearray(to_byte[c] for c in text).decode("utf-8", errors="replace").replace("</w>", " ").strip()


def reference_text_only(prompt, trigger, pad, chars, vocab, ranks):
    ids = encode(prompt, chars, vocab, ranks)
    trigger_ids = encode(trigger, chars, vocab, ranks)
    assert len(trigger_ids) == 1
    ids.remove(trigger_ids[0])
    again = encode(decode(ids, chars, vocab), chars, vocab, ranks)
    return padded_window(again, vocab["<|startoftext|>"], vocab["<|endoftext|>"], pad)


ID_PROMPT_CASES = [
    ("plain", "a photo of a woman img wearing a spacesuit", [(n, k) for n in range(1, 5) for k in (1, 2)]),
    ("class_first", "Woman img, cinematic lighting", [(1, 1), (3, 2)]),
    ("multi_token_class", "portrait of a policewoman img in the rain", [(2, 1), (2, 2)]),
    ("example_prompt", "sci-fi, closeup portrait photo of a man img wearing the sunglasses in Iron man suit, "
                       "face, slim body, high quality, film grain", [(1, 1), (4, 2)]),
    ("over_long", "a woman img " + "in a very detailed and beautiful garden, " * 12, [(1, 1), (2, 2), (4, 2)]),
]


def id_prompt_cases(chars, vocab, ranks):
    out = []
    for name, prompt, settings in ID_PROMPT_CASES:
        for images, per_image in settings:
            copies = images * per_image
            ids1, mask = reference_id_prompt(prompt, "img", copies, vocab["<|endoftext|>"], chars, vocab, ranks)
            ids2, mask2 = reference_id_prompt(prompt, "img", copies, 0, chars, vocab, ranks)
            assert mask == mask2
            out.append({"name": name, "prompt": prompt, "images": images, "tokens_per_image": per_image,
                        "ids_1": ids1, "ids_2": ids2, "mask": mask,
                        "text_only_1": reference_text_only(prompt, "img", vocab["<|endoftext|>"], chars, vocab,
                                                           ranks),
                        "text_only_2": reference_text_only(prompt, "img", 0, chars, vocab, ranks)})
    return out


def main():
    chars, vocab, ranks = load(sys.argv[1])
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w", encoding="ascii") as f:
            json.dump({"cases": id_prompt_cases(chars, vocab, ranks)}, f, ensure_ascii=True)
            f.write("\n")
    out = [{"name": name, "text": text, "words": words(text), "ids": encode(text, chars, vocab, ranks)}
           for name, text in CASES]
    with open(sys.argv[2], "w", encoding="ascii") as f:
        json.dump({"vocabulary_size": len(vocab), "cases": out}, f, ensure_ascii=True, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
