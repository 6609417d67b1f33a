// Points Terraform (and cdktf's matchers) at the offline toolchain: its CLI and its provider mirror.
import * as path from 'path';
import { loadToolchain } from '../../scripts/offline-terraform';

Object.assign(process.env, loadToolchain(path.join(__dirname, '..', '..')), { CHECKPOINT_DISABLE: '1' });
