package io.photomaker.gateway.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Keeps webhooks from reaching the gateway's own network (SSRF): a host is resolved at delivery time
 * and refused when any of its addresses is loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10,
 * fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10), multicast, unspecified
 * or reserved, unless private targets are allowed. The caller then connects to the checked address, so
 * a second DNS answer cannot swap it.
 */
public final class AddressGuard {
    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A delivery target that must not be contacted. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public AddressGuard(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public AddressGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** Resolves {@code host} (blocking) and returns the address to connect to. */
    public InetAddress check(String host) throws RefusedException {
        InetAddress[] all;
        try {
            all = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedException("webhook host " + host + " does not resolve");
        }
        if (all == null || all.length == 0) {
            throw new RefusedException("webhook host " + host + " has no address");
        }
        if (!allowPrivate) {
            for (InetAddress a : all) {
                if (!isPublic(a)) {
                    // The address itself stays out of the message: the delivery log is the tenant's to read,
                    // and naming what an internal host name resolves to would map the gateway's network for them.
                    throw new RefusedException("webhook host " + host + " resolves to a non-public address");
                }
            }
        }
        return all[0];
    }

    /** Whether {@code a} is an ordinary internet address. */
    public static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (a instanceof Inet6Address) {
            return isPublicV6(b);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        boolean thisNetwork = first == 0;
        boolean sharedNat = first == 100 && (second & 0xc0) == 64;
        boolean protocolAssignments = first == 192 && second == 0 && (b[2] & 0xff) == 0;
        boolean benchmarking = first == 198 && (second & 0xfe) == 18;
        boolean reserved = first >= 240;
        boolean privateRange = first == 10 || (first == 172 && (second & 0xf0) == 16)
                || (first == 192 && second == 168) || first == 127 || (first == 169 && second == 254);
        return !(thisNetwork || sharedNat || protocolAssignments || benchmarking || reserved || privateRange);
    }

    private static boolean isPublicV6(byte[] b) {
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc || (first == 0xfe && (b[1] & 0xc0) == 0x80) || first == 0xff) {
            return false;
        }
        if (isMappedV4(b)) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x02) {
            // 6to4: the IPv4 address sits in bytes 2..5
            return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]});
        }
        boolean nat64 = first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        if (nat64) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        boolean allZeroPrefix = true;
        for (int i = 0; i < 12; i++) {
            allZeroPrefix &= b[i] == 0;
        }
        // ::/96 (IPv4-compatible, deprecated) and ::1, :: are never public targets.
        return !allZeroPrefix;
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
