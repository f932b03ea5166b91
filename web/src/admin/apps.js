// Apps: the organisation's app catalog (publish a package or a new version, delete) and the
// Graph connectors (each app's on/off switch and its registrations).
import { t } from '../i18n.js';
import { appCatalogSection } from '../appcatalog.js';
import { graphConnectorsSection } from '../graphconnectors.js';
import { section } from './common.js';

export function appsSection() {
  const s = section('apps', t('admin.section.apps'), t('admin.apps.intro'));
  s.body.append(appCatalogSection(), graphConnectorsSection((err) => s.showError(err)));
  return s.root;
}
