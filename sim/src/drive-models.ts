/** Wires every topic of the reference vehicle to its healthy model. */
import { gnssModel, imuModel, poseModel, vehicleStateModel } from './chassis-models.js';
import { TOPIC, type TopicName } from './reference-vehicle.js';
import { cameraModel, lidarModel, perceptionModel, planningModel, radarModel } from './sensor-models.js';
import { diagnosticsModel, rosoutModel } from './status-models.js';
import { batteryModel, canModel, computeModel, networkModel, timeSyncModel } from './system-models.js';
import type { SimContext, TopicModel } from './topic-model.js';

type ModelFactory = (ctx: SimContext) => TopicModel;

/** Model factory per topic. */
export const MODEL_FACTORIES: Readonly<Record<TopicName, ModelFactory>> = {
  [TOPIC.diagnostics]: diagnosticsModel as ModelFactory,
  [TOPIC.rosout]: rosoutModel as ModelFactory,
  [TOPIC.vehicleState]: vehicleStateModel as ModelFactory,
  [TOPIC.battery]: batteryModel as ModelFactory,
  [TOPIC.compute]: computeModel as ModelFactory,
  [TOPIC.lidar]: lidarModel as ModelFactory,
  [TOPIC.camera]: cameraModel as ModelFactory,
  [TOPIC.radar]: radarModel as ModelFactory,
  [TOPIC.gnss]: gnssModel as ModelFactory,
  [TOPIC.imu]: imuModel as ModelFactory,
  [TOPIC.perception]: perceptionModel as ModelFactory,
  [TOPIC.pose]: poseModel as ModelFactory,
  [TOPIC.planning]: planningModel as ModelFactory,
  [TOPIC.network]: networkModel as ModelFactory,
  [TOPIC.can]: canModel as ModelFactory,
  [TOPIC.timeSync]: timeSyncModel as ModelFactory,
};
