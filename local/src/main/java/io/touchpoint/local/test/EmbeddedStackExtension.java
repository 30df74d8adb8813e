package io.touchpoint.local.test;

import io.touchpoint.local.Console;
import io.touchpoint.local.Service;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackConfig;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link EmbeddedStack}. One {@link StackSession} per test JVM (kept in
 * the root store) starts the services test classes ask for, reusing ones already running, and at
 * the end of the run stops only what it started itself, unless {@code TOUCHPOINT_STACK_KEEP=1} (or
 * {@code -Dtouchpoint.stack.keep=true}) asks to leave them up for the next run.
 */
public final class EmbeddedStackExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    Set<Service> wanted =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), EmbeddedStack.class)
            .map(
                a ->
                    a.services().length == 0
                        ? EnumSet.noneOf(Service.class)
                        : EnumSet.copyOf(Arrays.asList(a.services())))
            .orElse(EnumSet.of(Service.KAFKA, Service.S3));
    session(context).ensure(wanted);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == StackHandle.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return session(e).handle();
  }

  private static StackSession session(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(EmbeddedStackExtension.class))
        .getOrComputeIfAbsent(StackSession.class, k -> new StackSession(), StackSession.class);
  }

  /** The stack as this test JVM uses it; closed by JUnit at the end of the run. */
  static final class StackSession implements AutoCloseable {
    private final Stack stack;
    private final StackHandle handle;
    private final Set<Service> ensured = EnumSet.noneOf(Service.class);
    private final Set<Service> startedHere = EnumSet.noneOf(Service.class);

    StackSession() {
      StackConfig config = StackConfig.load();
      this.stack = new Stack(config, Console.stdout());
      this.handle = new StackHandle(config);
    }

    synchronized void ensure(Set<Service> wanted) {
      Set<Service> missing = EnumSet.copyOf(Service.withRequirements(wanted));
      missing.removeAll(ensured);
      if (missing.isEmpty()) {
        return;
      }
      Map<Service, Stack.Outcome> outcomes = stack.up(missing);
      outcomes.forEach(
          (s, o) -> {
            if (o != Stack.Outcome.ALREADY_RUNNING) {
              startedHere.add(s);
            }
          });
      ensured.addAll(outcomes.keySet());
    }

    StackHandle handle() {
      return handle;
    }

    @Override
    public synchronized void close() {
      boolean keep =
          "1".equals(System.getenv("TOUCHPOINT_STACK_KEEP"))
              || "true".equalsIgnoreCase(System.getenv("TOUCHPOINT_STACK_KEEP"))
              || Boolean.getBoolean("touchpoint.stack.keep");
      if (!keep && !startedHere.isEmpty()) {
        stack.down(startedHere, false);
      }
    }
  }
}
