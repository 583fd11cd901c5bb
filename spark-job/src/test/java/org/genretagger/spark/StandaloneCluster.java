package org.genretagger.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on this machine, as an operator would run one from a Spark
 * installation: a master and workers, each its own JVM bound to 127.0.0.1, and
 * {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit}) in another. The installation
 * is made from the Spark jars the build already has: {@code SPARK_HOME/jars} holds them, without
 * the job's own libraries (plugin API, PF4J, picocli), which must come in {@code genre-spark.jar}
 * as on a real cluster. Workers start their executors from {@code SPARK_HOME} as Spark does.
 */
final class StandaloneCluster implements AutoCloseable {
    /** Libraries a Spark installation lacks: genre-spark.jar carries them (shaded). */
    private static final Pattern JOB_LIBS = Pattern.compile("(plugin-api|pf4j|picocli|java-semver)-.*\\.jar");

    /** Master and workers mostly wait: a small heap, and no optimising compiler busy at start-up on shared cores. */
    private static final List<String> DAEMON = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path home;
    private final Path logs;
    private final List<String> jvmFlags;
    private final List<Child> children = new CopyOnWriteArrayList<>();
    private Child master;
    private String url;
    private final List<Worker> workers = new ArrayList<>();

    /** One worker: its JVM and its work folder (one subfolder per application and executor). */
    record Worker(Child jvm, Path workDir) {}

    /**
     * @param sparkLib the Spark jars (spark-job/target/lib)
     * @param dir a scratch folder for SPARK_HOME and work folders
     * @param logs where each JVM's output goes (NAME.log), and executors' at the end
     * @param jvmFlags flags every JVM gets (Java 17's --add-opens for Spark)
     */
    StandaloneCluster(Path sparkLib, Path dir, Path logs, List<String> jvmFlags) throws IOException {
        this.home = Files.createDirectories(dir.resolve("spark-home"));
        this.logs = Files.createDirectories(logs);
        try (Stream<Path> old = Files.list(logs)) {
            for (Path f : old.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.delete(f); // an earlier run's
            }
        }
        this.jvmFlags = jvmFlags;
        Path jars = Files.createDirectories(home.resolve("jars"));
        try (Stream<Path> s = Files.list(sparkLib)) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
                if (!JOB_LIBS.matcher(jar.getFileName().toString()).matches()) {
                    Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
                }
            }
        }
    }

    /** Starts the master; returns its URL once it listens. */
    String startMaster() throws Exception {
        master = start("master", DAEMON, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
        url = master.await(Pattern.compile("Starting Spark master at (spark://\\S+)")).group(1);
        return url;
    }

    /** Starts a worker of one core and {@code memory} for executors, without waiting for it. */
    Worker startWorker(String memory) throws Exception {
        int i = workers.size();
        Path work = Files.createDirectories(home.getParent().resolve("work-" + i));
        Child c = start("worker-" + i, DAEMON, "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", "1", "--memory", memory,
                "--work-dir", work.toString(), url);
        Worker w = new Worker(c, work);
        workers.add(w);
        return w;
    }

    /** Waits until the worker has registered with the master. */
    static void awaitRegistered(Worker w) throws Exception {
        w.jvm().await(Pattern.compile("Successfully registered with master"));
    }

    /** @return the worker whose work folder holds executor {@code id} */
    Worker workerOf(String executorId) throws IOException {
        for (Worker w : workers) {
            try (Stream<Path> apps = Files.list(w.workDir())) {
                if (apps.anyMatch(app -> Files.isDirectory(app.resolve(executorId)))) {
                    return w;
                }
            }
        }
        throw new IllegalStateException("no worker ran executor " + executorId);
    }

    /** Kills a worker as a lost machine dies: its JVM and its executors at once, no shutdown hooks. */
    static void kill(Worker w) throws InterruptedException {
        w.jvm().kill();
    }

    /**
     * spark-submit in client mode: the driver runs in this JVM.
     *
     * @param name for its log file
     * @param args spark-submit's arguments after {@code --master}
     */
    Child submit(String name, List<String> args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--master", url, "--deploy-mode", "client",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false"));
        all.addAll(args);
        return start(name, List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), "org.apache.spark.deploy.SparkSubmit",
                all.toArray(String[]::new));
    }

    private Child start(String name, List<String> heap, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(heap);
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", home.resolve("jars") + "/*", main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // Executors give MXNet one OpenMP thread per task core (spark.task.cpus), as on a cluster.
        env.remove("OMP_NUM_THREADS");
        Child c = new Child(name, pb.start(), logs.resolve(name + ".log"));
        children.add(c);
        return c;
    }

    @Override
    public void close() throws InterruptedException {
        for (Child c : children) {
            c.kill();
        }
        // Executors' output (work-N/APP/EXEC/stderr) beside the other logs, for a failure's post-mortem.
        for (Worker w : workers) {
            try (Stream<Path> s = Files.walk(w.workDir())) {
                for (Path f : s.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                    Path rel = w.workDir().relativize(f);
                    Files.copy(f, logs.resolve(w.workDir().getFileName() + "-" + rel.getParent().toString().replace('/', '-') + ".log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** A child JVM whose output lines are kept (and written to a log file) as they come. */
    static final class Child {
        final String name;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final List<Thread> pumps = new ArrayList<>();
        /** Notified of each line and of the end of each of the two outputs. */
        private final Object progress = new Object();
        /** How many of the two outputs (standard output and error) have ended. */
        private int ended;

        Child(String name, Process process, Path log) throws IOException {
            this.name = name;
            this.process = process;
            PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
            pumps.add(pump(process.getInputStream(), w));
            pumps.add(pump(process.getErrorStream(), w));
        }

        private Thread pump(InputStream in, PrintWriter log) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null;) {
                        lines.add(l);
                        synchronized (log) {
                            log.printf("[%s] %s%n", java.time.LocalTime.now(), l);
                        }
                        synchronized (progress) {
                            progress.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                } finally {
                    synchronized (progress) {
                        ended++;
                        progress.notifyAll();
                    }
                }
            }, name + "-output");
            t.setDaemon(true);
            t.start();
            return t;
        }

        /**
         * Waits for a line matching the pattern, however long a busy machine makes it take; fails
         * with the output if the process's output ends without one. (No deadline: the test's
         * timeout guards against a hang.)
         */
        Matcher await(Pattern p) throws InterruptedException {
            int seen = 0;
            synchronized (progress) {
                while (true) {
                    for (; seen < lines.size(); seen++) {
                        Matcher m = p.matcher(lines.get(seen));
                        if (m.find()) {
                            return m;
                        }
                    }
                    if (ended == 2) {
                        throw new AssertionError(name + ": its output ended with no line matching '" + p + "' (alive: "
                                + process.isAlive() + "); output:\n" + String.join("\n", lines));
                    }
                    progress.wait();
                }
            }
        }

        /** Waits for the process to end and for all its output to be read; returns its exit code. */
        int waitFor() throws InterruptedException {
            int rc = process.waitFor();
            synchronized (progress) {
                while (ended < 2) {
                    progress.wait();
                }
            }
            return rc;
        }

        String output() {
            return String.join("\n", lines);
        }

        /** SIGKILL to the process and everything it started (children first seen, then it). */
        void kill() throws InterruptedException {
            List<ProcessHandle> kids = process.descendants().toList();
            process.destroyForcibly();
            kids.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(); // SIGKILL always ends a process, however busy the machine
            for (ProcessHandle k : kids) {
                k.onExit().join();
            }
        }
    }
}
