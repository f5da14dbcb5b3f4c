// The one place glmjs loads tfjs-core: the cpu backend is always registered (it is the
// reference every other backend is checked against), and every gradient is registered once.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "./generated/register-gradients.js";

export { tf };
