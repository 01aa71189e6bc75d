package dev.parley.loadtest.chaos;

import java.util.List;

import dev.parley.loadtest.robot.RobotCaller;

/**
 * One robot call as its caller lived it.
 *
 * @param callId null when no call could be created
 * @param robot the robot and its recording (null when its socket never opened)
 * @param spokenTags the tagged turns it spoke, in order
 * @param completed it spoke its turns, hung up with end-call and the server closed the socket normally
 * @param failure why it did not complete (null when it did)
 */
record ChaosCall(String callId, RobotCaller robot, List<Integer> spokenTags, boolean completed, String failure) {

  static ChaosCall notStarted(String why) {
    return new ChaosCall(null, null, List.of(), false, why);
  }
}
