package io.touchpoint.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command list ({@code ./touchpoint --help}, {@code ./touchpoint serve --help}) shows one line
 * per command: the header, or else the first line of the description. That line must be a whole
 * sentence, not a description cut after its first source line.
 */
class CommandSummariesTest {

  @Test
  void everyCommandListsAWholeSentence() {
    List<String> cut = new ArrayList<>();
    collect(Touchpoint.commandLine(), "touchpoint", cut);
    assertTrue(cut.isEmpty(), "summaries cut mid-sentence: " + cut);
  }

  private static void collect(CommandLine line, String path, List<String> cut) {
    for (var entry : line.getSubcommands().entrySet()) {
      CommandSpec spec = entry.getValue().getCommandSpec();
      if (entry.getValue().getCommand() instanceof CommandLine.HelpCommand) {
        continue;
      }
      String[] header = spec.usageMessage().header();
      String[] description = spec.usageMessage().description();
      String summary = header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
      String name = path + " " + entry.getKey();
      if (!summary.strip().endsWith(".")) {
        cut.add(name + ": \"" + summary + "\"");
      }
      collect(entry.getValue(), name, cut);
    }
  }
}
