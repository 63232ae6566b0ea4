package org.hotlinecti.cti.asterisk.agi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The peers allowed to open FastAGI sessions: IP addresses ({@code 127.0.0.1}, {@code ::1}) and CIDR blocks
 * ({@code 10.20.0.0/16}, {@code fd00::/8}). Only literals: a host name would make every accept depend on DNS. An
 * IPv4 peer seen as an IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.5}) is matched as the IPv4 address.
 */
final class PeerAllowList {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private record Block(byte[] network, int prefixBits, String text) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private PeerAllowList(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @throws IllegalArgumentException if the list is empty or an entry is not an IP address or CIDR block (the
     *                                  message names the entry)
     */
    static PeerAllowList parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("agi.allowed_peers must name at least one address (e.g. 127.0.0.1)");
        }
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            blocks.add(block(entry));
        }
        return new PeerAllowList(blocks);
    }

    private static Block block(String entry) {
        String text = entry == null ? "" : entry.trim();
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] address = literal(host, entry);
        int bits = address.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("agi.allowed_peers: bad prefix length in '" + entry + "'");
            }
        }
        return new Block(address, bits, text);
    }

    private static byte[] literal(String host, String entry) {
        if (!LITERAL.matcher(host).matches() || (!host.contains(".") && !host.contains(":"))) {
            throw new IllegalArgumentException("agi.allowed_peers: '" + entry
                    + "' is not an IP address or CIDR block (host names are not allowed)");
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("agi.allowed_peers: '" + entry + "' is not an IP address", e);
        }
    }

    /** Whether {@code address} (a literal IP address as the socket reports it) may connect. */
    boolean allows(String address) {
        byte[] bytes;
        try {
            bytes = literal(address, address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return blocks.stream().map(Block::text).toList().toString();
    }
}
