// cdktf's Testing matchers (toHaveResourceWithProperties, ...), with their types
import { setupJest } from "cdktf/lib/testing/adapters/jest";

setupJest();
