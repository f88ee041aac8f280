package io.ringkv.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ConfigLoader, conf/ringkv.json and the README's configuration table say the same. */
class ConfigDocsTest {

  @Test
  void everySettingIsInTheReadmeTable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (String flag : ConfigLoader.flagNames()) {
      assertTrue(readme.contains("| `--" + flag + "`") || readme.contains("/ `--" + flag + "`"),
          "--" + flag + " is missing from the README's configuration table");
    }
  }

  @Test
  void theShippedConfigFileHoldsTheBuiltInDefaults() {
    RingkvConfig shipped = ConfigLoader.load(Path.of("conf/ringkv.json"), Map.of(), Map.of());
    assertEquals(ConfigLoader.fromFlags(Map.of()), shipped);
  }
}
