package io.touchpoint.simulator.world;

import java.util.List;

/** A campaign of one network for one app; retargeting campaigns aim at existing users. */
public record Campaign(
    String campaignId,
    String name,
    Network network,
    SimApp app,
    boolean retargeting,
    List<String> adsets,
    List<String> ads) {}
