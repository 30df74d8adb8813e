package io.touchpoint.simulator.output;

import io.touchpoint.model.json.ContractJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes records of the simulator's truth files as JSON lines, in the contract's JSON style. */
public final class JsonLinesWriter implements AutoCloseable {
  private final OutputStream out;

  public JsonLinesWriter(Path file) throws IOException {
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
  }

  public void write(Object value) throws IOException {
    out.write(ContractJson.toBytes(value));
    out.write('\n');
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
