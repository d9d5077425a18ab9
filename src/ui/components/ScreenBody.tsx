import type { DnsRuleTarget } from '../../engine/index.js';
import type { CheckView } from '../check-view.js';
import type { ShownList } from '../list-rows.js';
import type { MatrixView } from '../matrix-view.js';
import { currentScreen, selectedTemplate, type UiState } from '../state.js';
import type { Audit } from '../use-audit.js';
import type { WizardFormView } from '../wizard-view.js';
import { CheckScreen } from './CheckScreen.js';
import { ListScreen } from './ListScreen.js';
import { MatrixScreen } from './MatrixScreen.js';
import { TextView } from './TextView.js';
import { TemplatePicker, WizardForm } from './WizardScreen.js';

/** Props of ScreenBody: what each screen is drawn from, and the screens' own inputs. */
export interface ScreenBodyProps {
  readonly state: UiState;
  readonly shown: ShownList | undefined;
  readonly cursor: number;
  readonly audit: Audit;
  readonly check: CheckView;
  readonly wizardForm: WizardFormView | undefined;
  /** The snapshot's DNS (dnsRuleTarget), whose ports the template picker names. */
  readonly dnsTarget: DnsRuleTarget;
  /** The matrix screen's matrix, once computed. */
  readonly matrix: MatrixView | undefined;
  readonly textLines: readonly string[];
  readonly height: number;
  readonly width: number;
  readonly color: boolean;
}

/** The body of the screen on top: a list, the traffic check, the wizard, or a text. */
export function ScreenBody(props: ScreenBodyProps) {
  const { state, shown, height, width, color } = props;
  if (shown) {
    const { cursor, audit } = props;
    const { namespace, marks } = state;
    return <ListScreen {...{ shown, audit, cursor, height, width, color, namespace, marks }} />;
  }
  switch (currentScreen(state).id) {
    case 'check':
      return (
        <CheckScreen
          form={state.check}
          view={props.check}
          height={height}
          width={width}
          scroll={state.scroll}
          color={color}
        />
      );
    case 'matrix':
      return (
        <MatrixScreen
          view={props.matrix}
          cursor={state.matrixCursor}
          height={height}
          width={width}
          color={color}
        />
      );
    case 'scaffold-template':
      return (
        <TemplatePicker selected={selectedTemplate(state)} dns={props.dnsTarget} color={color} />
      );
    default:
      return props.wizardForm ? (
        <WizardForm view={props.wizardForm} width={width} color={color} />
      ) : (
        <TextView lines={props.textLines} scroll={state.scroll} height={height} width={width} />
      );
  }
}
