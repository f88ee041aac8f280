package io.ringkv.cli;

import io.ringkv.config.ConfigException;
import io.ringkv.config.ConfigLoader;
import io.ringkv.config.RingkvConfig;
import io.ringkv.node.RingkvNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv node}: runs one node. Its flags are generated from {@link ConfigLoader}'s
 * settings, so the CLI, the environment variables and the JSON file never drift apart.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Start one ringkv node (flags > RINGKV_* environment > config file > defaults).")
public final class NodeCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (default: conf/ringkv.json if present)")
  private Path configFile;

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new NodeCommand());
    CommandSpec spec = cl.getCommandSpec();
    for (String flag : ConfigLoader.flagNames()) {
      spec.addOption(OptionSpec.builder("--" + flag).paramLabel("VALUE").type(String.class)
          .description("also " + ConfigLoader.envName(flag)).build());
    }
    return cl;
  }

  @Override
  public Integer call() {
    RingkvConfig config;
    try {
      config = ConfigLoader.load(configFile, System.getenv(), givenFlags(spec));
      config.requireFitsHeap(Runtime.getRuntime().maxMemory());
    } catch (ConfigException e) {
      System.err.println("ringkv: bad configuration: " + e.getMessage());
      return 2;
    }
    return run(config);
  }

  static Map<String, String> givenFlags(CommandSpec spec) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String flag : ConfigLoader.flagNames()) {
      String value = spec.commandLine().getParseResult().matchedOptionValue("--" + flag, null);
      if (value != null) {
        flags.put(flag, value);
      }
    }
    return flags;
  }

  private static int run(RingkvConfig config) {
    RingkvNode node;
    try {
      node = RingkvNode.start(config).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      ConfigException bad = configurationError(e);
      if (bad != null) {
        // Found only once the node looks at its data dir (e.g. another engine's data there).
        System.err.println("ringkv: bad configuration: " + bad.getMessage());
        return 2;
      }
      Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
      System.err.println("ringkv: node " + config.id() + " failed to start: " + cause.getMessage());
      return 1;
    }
    Signals.onTermination(() -> {
      stop(node);
      return 0;
    });
    Signals.onHangup(node::reloadTokens);
    // Printed when /ready turns 200: at once for a member, after its join for a new node.
    node.ready().onSuccess(ignored -> {
      System.out.println("ringkv node " + config.id() + " ready http=" + node.httpPort());
      System.out.flush();
    });
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static ConfigException configurationError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException c) {
        return c;
      }
    }
    return null;
  }

  private static void stop(RingkvNode node) {
    try {
      node.stop().await(9, TimeUnit.SECONDS);
      System.out.println("ringkv node " + node.id() + " stopped");
    } catch (Exception e) {
      System.err.println("ringkv: node " + node.id() + " did not stop cleanly: " + e.getMessage());
    }
    System.out.flush();
  }
}
