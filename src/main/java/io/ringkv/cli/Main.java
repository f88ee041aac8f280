package io.ringkv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar ringkv.jar node|dev|bench|ceiling ...} */
@Command(name = "ringkv", mixinStandardHelpOptions = true, version = "ringkv 0.1.0",
    description = "A Dynamo-style distributed key-value store.")
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .addSubcommand("node", NodeCommand.commandLine())
        .addSubcommand("dev", new DevCommand());
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
