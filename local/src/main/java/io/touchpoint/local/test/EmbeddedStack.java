package io.touchpoint.local.test;

import io.touchpoint.local.Service;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the embedded stack: the services named are started once per test JVM
 * (a running stack is reused) and a {@link StackHandle} parameter gives their addresses.
 *
 * <pre>{@code
 * @EmbeddedStack(services = {Service.KAFKA, Service.S3})
 * class MyIT {
 *     @Test void roundTrip(StackHandle stack) { String topic = stack.newTopic("events"); ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(EmbeddedStackExtension.class)
public @interface EmbeddedStack {

  /** The services the tests need (requirements are added: Druid brings S3). */
  Service[] services() default {Service.KAFKA, Service.S3};
}
