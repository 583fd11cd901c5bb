package org.genretagger.host.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** This process's figures from {@code /proc/self/status} (Linux; empty elsewhere). */
public final class Proc {
    private Proc() {
    }

    /**
     * @param key a field of /proc/self/status such as VmHWM or VmRSS
     * @return its value in kB, or -1 where there is no /proc
     */
    public static long procStatus(String key) {
        return procStatus().getOrDefault(key, -1L);
    }

    /**
     * One read of /proc/self/status, so that figures taken together come from one snapshot (the
     * kernel computes VmHWM as at least VmRSS within a read, not across two).
     *
     * @return every field whose value is a number (kB for the memory ones); empty where there is no /proc
     */
    public static Map<String, Long> procStatus() {
        Map<String, Long> fields = new HashMap<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                int colon = l.indexOf(':');
                String[] value = l.substring(colon + 1).trim().split("\\s+");
                if (colon > 0 && value[0].matches("\\d+")) {
                    fields.put(l.substring(0, colon), Long.parseLong(value[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return fields;
    }
}
