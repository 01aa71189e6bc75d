package dev.parley.loadtest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How busy the machine is, read from Linux's /proc: the 1-minute load average, the share of CPU
 * time that was busy between two samples, and a process's resident memory. NaN where /proc has no
 * answer (another OS, a process that is gone).
 */
final class MachineLoad {

  /** Cumulative CPU jiffies from /proc/stat: all of them and the idle ones (idle + iowait). */
  record CpuSample(long total, long idle) {

    /** Busy share of all cores between {@code earlier} and this sample, in percent. */
    double busyPercentSince(CpuSample earlier) {
      long total = this.total - earlier.total;
      return total <= 0 ? Double.NaN : 100.0 * (total - (idle - earlier.idle)) / total;
    }
  }

  private MachineLoad() {}

  static double loadAverage1() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static CpuSample cpu() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      long[] jiffies = Arrays.stream(first.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
      return new CpuSample(Arrays.stream(jiffies).sum(), jiffies[3] + jiffies[4]);
    } catch (IOException | RuntimeException e) {
      return new CpuSample(0, 0);
    }
  }

  /**
   * CPU time the processes {@code pids} (comma-separated: a cluster's nodes) have used so far, in ms;
   * NaN without a pid or when one cannot be read.
   */
  static double processCpuMillis(String pids) {
    return sum(pids, MachineLoad::cpuMillis);
  }

  /** VmRSS of the processes {@code pids} (comma-separated) in MiB; NaN without a pid or when one cannot be read. */
  static double rssMiB(String pids) {
    return sum(pids, MachineLoad::rssMiBOf);
  }

  private static double sum(String pids, java.util.function.ToDoubleFunction<String> perProcess) {
    if (pids == null || pids.isBlank()) {
      return Double.NaN;
    }
    return Arrays.stream(pids.split(",")).map(String::strip).mapToDouble(perProcess).sum();
  }

  /**
   * User + system time (/proc/PID/stat fields 14 and 15) in ms. Jiffies are taken as 10 ms (USER_HZ
   * 100, Linux's value on every architecture Java runs on).
   */
  private static double cpuMillis(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // the command name may hold spaces: fields are counted after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double rssMiBOf(String pid) {
    try {
      List<String> status = Files.readAllLines(Path.of("/proc", pid, "status"));
      return status.stream().filter(line -> line.startsWith("VmRSS:"))
          .mapToDouble(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024.0)
          .findFirst().orElse(Double.NaN);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
