package io.photomaker.common.image;

/**
 * One canonical prefix (Huffman) code of a WebP lossless bitstream, read from its code lengths (RFC 9649, 3.7.2):
 * codes are assigned shortest first and, within a length, in symbol order, and a code's first bit on the wire is
 * its most significant one (as in DEFLATE). A code with a single symbol takes no bits. Lengths that do not form a
 * complete code are refused, as the reference decoder refuses them.
 */
final class PrefixCode {
    private static final int MAX_LENGTH = 15;
    private static final int[] CODE_LENGTH_ORDER = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int DEFAULT_PREVIOUS_LENGTH = 8;

    private final int[] countPerLength = new int[MAX_LENGTH + 1];
    private final int[] symbolsInCodeOrder;
    private final int onlySymbol;

    private PrefixCode(int[] lengths) {
        int used = 0;
        int last = -1;
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] > 0) {
                countPerLength[lengths[s]]++;
                used++;
                last = s;
            }
        }
        if (used == 0) {
            throw ImageRejected.corrupt("WebP lossless data has a prefix code without symbols");
        }
        symbolsInCodeOrder = new int[used];
        onlySymbol = used == 1 ? last : -1;
        if (used > 1) {
            requireComplete();
            int[] next = new int[MAX_LENGTH + 2];
            for (int len = 1; len <= MAX_LENGTH; len++) {
                next[len + 1] = next[len] + countPerLength[len];
            }
            for (int s = 0; s < lengths.length; s++) {
                if (lengths[s] > 0) {
                    symbolsInCodeOrder[next[lengths[s]]++] = s;
                }
            }
        }
    }

    private void requireComplete() {
        long unassigned = 1;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            unassigned = (unassigned << 1) - countPerLength[len];
            if (unassigned < 0) {
                throw ImageRejected.corrupt("WebP lossless data has an over-full prefix code");
            }
        }
        if (unassigned != 0) {
            throw ImageRejected.corrupt("WebP lossless data has an incomplete prefix code");
        }
    }

    /** Reads the code for an alphabet of {@code alphabetSize} symbols from {@code in}. */
    static PrefixCode read(LsbBits in, int alphabetSize) {
        int[] lengths = new int[alphabetSize];
        if (in.bit()) {
            int symbols = in.read(1) + 1;
            int first = in.read(in.bit() ? 8 : 1);
            mark(lengths, first);
            if (symbols == 2) {
                mark(lengths, in.read(8));
            }
            return new PrefixCode(lengths);
        }
        int[] codeLengthLengths = new int[CODE_LENGTH_ORDER.length];
        int count = 4 + in.read(4);
        for (int i = 0; i < count; i++) {
            codeLengthLengths[CODE_LENGTH_ORDER[i]] = in.read(3);
        }
        readLengths(in, new PrefixCode(codeLengthLengths), lengths);
        return new PrefixCode(lengths);
    }

    private static void mark(int[] lengths, int symbol) {
        if (symbol >= lengths.length) {
            throw ImageRejected.corrupt("WebP lossless data names symbol " + symbol + " of a " + lengths.length
                    + "-symbol alphabet");
        }
        lengths[symbol] = 1;
    }

    private static void readLengths(LsbBits in, PrefixCode codeLengthCode, int[] lengths) {
        int alphabetSize = lengths.length;
        int maxSymbol = alphabetSize;
        if (in.bit()) {
            int lengthBits = 2 + 2 * in.read(3);
            maxSymbol = 2 + in.read(lengthBits);
            if (maxSymbol > alphabetSize) {
                throw ImageRejected.corrupt("WebP lossless data has a prefix code longer than its alphabet");
            }
        }
        int previous = DEFAULT_PREVIOUS_LENGTH;
        int symbol = 0;
        while (symbol < alphabetSize && maxSymbol-- > 0) {
            int len = codeLengthCode.decode(in);
            if (len < 16) {
                lengths[symbol++] = len;
                previous = len == 0 ? previous : len;
                continue;
            }
            int repeat = switch (len) {
                case 16 -> 3 + in.read(2);
                case 17 -> 3 + in.read(3);
                default -> 11 + in.read(7);
            };
            if (symbol + repeat > alphabetSize) {
                throw ImageRejected.corrupt("WebP lossless data repeats a code length past its alphabet");
            }
            int value = len == 16 ? previous : 0;
            for (int i = 0; i < repeat; i++) {
                lengths[symbol++] = value;
            }
        }
    }

    /** The next symbol from {@code in}. */
    int decode(LsbBits in) {
        if (onlySymbol >= 0) {
            return onlySymbol;
        }
        int code = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            code |= in.read(1);
            int count = countPerLength[len];
            if (code - first < count) {
                return symbolsInCodeOrder[index + code - first];
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        throw ImageRejected.corrupt("WebP lossless data holds a code its prefix code does not define");
    }
}
